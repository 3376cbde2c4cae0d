package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One window detector (latency_spike, ttft_regression, ...): keyed by the series key, judges each
 * closed window with {@link SpikeDetector} and emits one {@link AnomalyEvent} per evaluated window
 * (score and active flag for the gauges; "firing"/"resolved" on changes).
 *
 * <p>A key that goes silent: an open anomaly whose key has no judgeable window for {@link
 * #SILENT_WINDOWS} window lengths of event time is resolved with {@code stale=true} (event-time
 * timer, so it follows the job's event-time rule: quiet periods and restores included). Its
 * detector state is kept: when the key comes back, its windows are judged against what the detector
 * learned (including a shift it already paged for).
 */
public class WindowSpikeFunction
    extends KeyedProcessFunction<String, WindowAggregate, AnomalyEvent> {
  private static final long serialVersionUID = 1L;

  private final WindowKind kind;
  private final WindowJudge judge;
  private final long stateTtlMillis;

  /**
   * Event time without a judgeable window after which an open anomaly resolves as stale (the
   * default close.windows: a silent key resolves no later than a recovered one).
   */
  static final int SILENT_WINDOWS = 3;

  private transient ValueState<SpikeState> state;
  private transient ValueState<SeriesLabels> labels;

  public WindowSpikeFunction(WindowKind kind, DetectorSettings settings) {
    this.kind = kind;
    this.judge = new WindowJudge(kind, settings);
    this.stateTtlMillis = settings.stateTtlMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    state =
        getRuntimeContext()
            .getState(
                KeyedStateTtl.valueState(
                    kind.kind + "-baseline", SpikeState.class, stateTtlMillis));
    labels =
        getRuntimeContext()
            .getState(
                KeyedStateTtl.valueState(
                    kind.kind + "-labels", SeriesLabels.class, stateTtlMillis));
  }

  @Override
  public void processElement(WindowAggregate w, Context ctx, Collector<AnomalyEvent> out)
      throws Exception {
    SpikeState s = state.value();
    if (s == null) {
      s = judge.newState();
    }
    long length = w.windowEnd - w.windowStart;
    // the stale timer of an open anomaly, set at its last judged window (a thin window keeps it)
    long staleTimer =
        s.active && s.lastTime != Long.MIN_VALUE ? silentAt(s.lastTime, length) : Long.MIN_VALUE;
    Verdict v = judge.judge(s, w);
    if (v == null) {
      return;
    }
    state.update(s);
    if (staleTimer != Long.MIN_VALUE) {
      ctx.timerService().deleteEventTimeTimer(staleTimer);
    }
    if (v.active) {
      ctx.timerService().registerEventTimeTimer(silentAt(w.windowStart, length));
      labels.update(SeriesLabels.of(w));
    }
    double value = v.observed;

    AnomalyEvent e = Anomalies.of(kind.kind, w);
    e.observed = value;
    e.baseline = v.baseline;
    e.score = v.score;
    e.active = v.active;
    e.transition = Anomalies.transition(v);
    e.detail = detail(v, w);
    out.collect(e);
  }

  /** When a key whose last judged window started at {@code start} counts as silent. */
  private static long silentAt(long start, long length) {
    return start + (1L + SILENT_WINDOWS) * length;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnomalyEvent> out)
      throws Exception {
    SpikeState s = state.value();
    SeriesLabels l = labels.value();
    if (s == null || !s.active || l == null) {
      return; // resolved meanwhile, or state expired
    }
    // The detector's own hysteresis state: closed, as if it had seen close.windows normal windows.
    s.active = false;
    s.aboveRun = 0;
    s.belowRun = 0;
    s.evidence = 0;
    state.update(s);
    AnomalyEvent e = Anomalies.of(kind.kind, l, s.lastTime, timestamp);
    e.baseline = s.level;
    e.score = 0;
    e.active = false;
    e.stale = true;
    e.transition = Anomalies.RESOLVED;
    e.detail =
        "stale: no judgeable window since "
            + Instant.ofEpochMilli(s.lastTime)
            + " (key silent or below the minimum calls)";
    out.collect(e);
  }

  private String detail(Verdict v, WindowAggregate w) {
    if (v.warmingUp) {
      return "warming up (" + s(v) + ")";
    }
    String what;
    switch (kind) {
      case LATENCY_SPIKE:
        what = "latency p95 ";
        break;
      case TTFT_REGRESSION:
        what = "time to first token p95 ";
        break;
      case TOKEN_BURN:
        what = "tokens per call ";
        break;
      case ERROR_BURST:
        what = "error share (" + w.errorCalls + "/" + w.calls + ") ";
        break;
      case THROTTLING:
        what = "throttled share (" + w.throttledCalls + "/" + w.calls + ") ";
        break;
      default:
        what = "cost ";
    }
    return what
        + Anomalies.num(v.observed)
        + kind.unit
        + " vs baseline "
        + Anomalies.num(v.baseline)
        + kind.unit
        + " (evidence "
        + Anomalies.num(v.score)
        + ": a one-in-10^"
        + Anomalies.num(v.score)
        + " run for this series)";
  }

  private static String s(Verdict v) {
    return "observed " + Anomalies.num(v.observed);
  }
}
