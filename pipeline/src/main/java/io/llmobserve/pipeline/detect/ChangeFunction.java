package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * model_drift / routing_change over spans, keyed by {@link ChangeKind#key}. Fires once when an
 * established attribute value changes; resolves (event-time timer) once no attribute has switched
 * for the stable period, adopting the new value as normal. While open, and at most every heartbeat
 * otherwise, the current state is re-emitted so the gauges stay fresh.
 */
public class ChangeFunction extends KeyedProcessFunction<String, CallRun, AnomalyEvent> {
  private static final long serialVersionUID = 1L;

  private final ChangeKind kind;
  private final ChangeTracker tracker;
  private final long heartbeatMillis;
  private final long stateTtlMillis;

  private transient ValueState<ChangeState> state;

  public ChangeFunction(ChangeKind kind, DetectorSettings settings) {
    this.kind = kind;
    this.tracker =
        kind == ChangeKind.MODEL_DRIFT
            ? new ChangeTracker(settings.driftMinObservations(), settings.driftStableMillis())
            : new ChangeTracker(settings.routingMinObservations(), settings.routingStableMillis());
    this.heartbeatMillis = settings.heartbeatMillis();
    this.stateTtlMillis = Math.max(settings.stateTtlMillis(), tracker.stableMillis() * 2);
  }

  @Override
  public void open(OpenContext openContext) {
    state =
        getRuntimeContext()
            .getState(
                KeyedStateTtl.valueState(kind.kind + "-state", ChangeState.class, stateTtlMillis));
  }

  /** Whether a call is evidence at all: failed calls without a response model are not. */
  static boolean watched(LlmSpan span) {
    return "ok".equals(span.outcome) || span.responseModel != null;
  }

  /**
   * A run of calls ({@link CallRunCombiner}): its first call as each call was before runs, the
   * repeats in one step (they cannot change anything but the established value's count).
   */
  @Override
  public void processElement(CallRun run, Context ctx, Collector<AnomalyEvent> out)
      throws Exception {
    long t = run.firstMillis;
    ChangeState s = state.value();
    if (s == null) {
      s = new ChangeState();
    }
    s.labels = run.labels();
    ChangeTracker.Change c1 = tracker.observe(s.first, run.first, t);
    ChangeTracker.Change c2 = tracker.observe(s.second, run.second, t);

    String transition = null;
    if (c1 != ChangeTracker.Change.NONE || c2 != ChangeTracker.Change.NONE) {
      s.count++;
      s.lastEventTime = t;
      s.detail = describe(s);
      ctx.timerService().registerEventTimeTimer(t + tracker.stableMillis());
      if (!s.active) {
        s.active = true;
        s.openedAt = t;
        transition = Anomalies.FIRING;
      }
    }
    if (transition != null || s.lastEmit == Long.MIN_VALUE || t - s.lastEmit >= heartbeatMillis) {
      emit(s, t, transition, s.active ? s.detail : null, out);
      s.lastEmit = t;
    }
    if (run.count > 1) {
      tracker.observeRepeats(s.first, run.first, run.count - 1);
      tracker.observeRepeats(s.second, run.second, run.count - 1);
      long last = run.lastMillis;
      if (last - s.lastEmit >= heartbeatMillis) {
        emit(s, last, null, s.active ? s.detail : null, out);
        s.lastEmit = last;
      }
    }
    state.update(s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnomalyEvent> out)
      throws Exception {
    ChangeState s = state.value();
    if (s == null || !s.active) {
      return;
    }
    String detail = describe(s);
    boolean r1 = !s.first.changed || tracker.tryResolve(s.first, timestamp);
    boolean r2 = !s.second.changed || tracker.tryResolve(s.second, timestamp);
    if (r1 && r2) {
      s.active = false;
      emit(
          s,
          timestamp,
          Anomalies.RESOLVED,
          detail + " (stable since " + Instant.ofEpochMilli(s.lastEventTime) + ")",
          out);
      s.lastEmit = timestamp;
      s.count = 0;
    }
    state.update(s);
  }

  private String describe(ChangeState s) {
    StringBuilder b = new StringBuilder();
    if (s.first.changed) {
      b.append(ChangeTracker.describe(kind.firstName, s.first));
    }
    if (s.second.changed) {
      b.append(b.length() > 0 ? "; " : "")
          .append(ChangeTracker.describe(kind.secondName, s.second));
    }
    return b.toString();
  }

  private void emit(
      ChangeState s, long t, String transition, String detail, Collector<AnomalyEvent> out) {
    AnomalyEvent e = Anomalies.of(kind.kind, s.labels, s.active ? s.openedAt : t, t);
    e.active = s.active;
    e.score = s.active ? 1.0 : 0.0;
    e.observed = s.active ? s.count : 0;
    e.transition = transition;
    e.detail = detail;
    out.collect(e);
  }
}
