package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * residency_violation, keyed by service|provider|region: a call served from a region outside the
 * allowed set configured for its provider opens the anomaly; it stays open while violations
 * continue and resolves (event-time timer) after a quiet period without one. Providers without an
 * allowed set, and calls whose region is unknown, are not judged.
 */
public class ResidencyFunction extends KeyedProcessFunction<String, CallRun, AnomalyEvent> {
  private static final long serialVersionUID = 1L;

  static final String KIND = "residency_violation";

  private final Map<String, Set<String>> allowed;
  private final long quietMillis;
  private final long heartbeatMillis;
  private final long stateTtlMillis;

  private transient ValueState<ChangeState> state;

  public ResidencyFunction(DetectorSettings settings) {
    this.allowed = Map.copyOf(settings.residencyAllowed());
    this.quietMillis = settings.residencyQuietMillis();
    this.heartbeatMillis = settings.heartbeatMillis();
    this.stateTtlMillis = Math.max(settings.stateTtlMillis(), quietMillis * 2);
  }

  /** The key: service|provider|region. */
  public static String key(LlmSpan s) {
    return key(s.service, s.provider, s.region);
  }

  static String key(String service, String provider, String region) {
    return service + '|' + provider + '|' + region;
  }

  /** Null when not judged, else whether the span's region is allowed for its provider. */
  Boolean allowed(LlmSpan s) {
    return allowed(allowed, s.provider, s.region);
  }

  /** Null when not judged, else whether {@code region} is allowed for {@code provider}. */
  static Boolean allowed(Map<String, Set<String>> allowed, String provider, String region) {
    if (provider == null || region == null || "unknown".equals(region)) {
      return null;
    }
    Set<String> regions = allowed.get(provider.toLowerCase(Locale.ROOT));
    return regions == null ? null : regions.contains(DetectorSettings.normaliseRegion(region));
  }

  @Override
  public void open(OpenContext openContext) {
    state =
        getRuntimeContext()
            .getState(KeyedStateTtl.valueState(KIND + "-state", ChangeState.class, stateTtlMillis));
  }

  /**
   * A run of calls with the same labels ({@link CallRunCombiner}): its first call as each call was
   * before runs, the rest in one step (more violations of an open anomaly only count and move the
   * quiet period on).
   */
  @Override
  public void processElement(CallRun run, Context ctx, Collector<AnomalyEvent> out)
      throws Exception {
    Boolean ok = allowed(allowed, run.provider, run.region);
    if (ok == null) {
      return;
    }
    long t = run.firstMillis;
    ChangeState s = state.value();
    if (s == null) {
      s = new ChangeState();
    }
    s.labels = run.labels();
    String transition = null;
    if (!ok) {
      s.count++;
      s.lastEventTime = Math.max(s.lastEventTime, t);
      ctx.timerService().registerEventTimeTimer(s.lastEventTime + quietMillis);
      if (!s.active) {
        s.active = true;
        s.openedAt = t;
        s.count = 1;
        transition = Anomalies.FIRING;
      }
    }
    if (transition != null || s.lastEmit == Long.MIN_VALUE || t - s.lastEmit >= heartbeatMillis) {
      emit(s, t, transition, out);
      s.lastEmit = t;
    }
    if (run.count > 1) {
      if (!ok) {
        s.count += run.count - 1;
        s.lastEventTime = Math.max(s.lastEventTime, run.maxMillis);
        ctx.timerService().registerEventTimeTimer(s.lastEventTime + quietMillis);
      }
      long last = run.lastMillis;
      if (last - s.lastEmit >= heartbeatMillis) {
        emit(s, last, null, out);
        s.lastEmit = last;
      }
    }
    state.update(s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnomalyEvent> out)
      throws Exception {
    ChangeState s = state.value();
    if (s == null || !s.active || timestamp < s.lastEventTime + quietMillis) {
      return; // a later violation moved the quiet period on
    }
    s.active = false;
    emit(s, timestamp, Anomalies.RESOLVED, out);
    s.lastEmit = timestamp;
    s.count = 0;
    state.update(s);
  }

  private void emit(ChangeState s, long t, String transition, Collector<AnomalyEvent> out) {
    AnomalyEvent e = Anomalies.of(KIND, s.labels, s.active ? s.openedAt : t, t);
    e.active = s.active;
    e.score = s.active ? 1.0 : 0.0;
    e.observed = s.count;
    e.baseline = 0;
    e.transition = transition;
    Set<String> regions = allowed.get(s.labels.provider.toLowerCase(Locale.ROOT));
    e.detail =
        (s.active || Anomalies.RESOLVED.equals(transition))
            ? s.count
                + " call(s) to "
                + s.labels.provider
                + " served from "
                + s.labels.region
                + ", allowed: "
                + (regions == null ? "[]" : String.join(", ", regions))
            : null;
    out.collect(e);
  }
}
