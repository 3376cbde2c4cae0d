package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.WindowAggregate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One window detector (latency_spike, ttft_regression, ...): keyed by the series key, judges
 * each closed window with {@link SpikeDetector} and emits one {@link AnomalyEvent} per evaluated
 * window (score and active flag for the gauges; "firing"/"resolved" on changes).
 */
public class WindowSpikeFunction extends KeyedProcessFunction<String, WindowAggregate, AnomalyEvent> {
  private static final long serialVersionUID = 1L;

  private final WindowKind kind;
  private final WindowJudge judge;
  private final long stateTtlMillis;

  private transient ValueState<SpikeState> state;

  public WindowSpikeFunction(WindowKind kind, DetectorSettings settings) {
    this.kind = kind;
    this.judge = new WindowJudge(kind, settings);
    this.stateTtlMillis = settings.stateTtlMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    state = getRuntimeContext().getState(KeyedStateTtl.valueState(kind.kind + "-baseline", SpikeState.class, stateTtlMillis));
  }

  @Override
  public void processElement(WindowAggregate w, Context ctx, Collector<AnomalyEvent> out)
      throws Exception {
    SpikeState s = state.value();
    if (s == null) {
      s = judge.newState();
    }
    Verdict v = judge.judge(s, w);
    if (v == null) {
      return;
    }
    state.update(s);
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
    return what + Anomalies.num(v.observed) + kind.unit + " vs baseline "
        + Anomalies.num(v.baseline) + kind.unit + " (evidence " + Anomalies.num(v.score)
        + ": a one-in-10^" + Anomalies.num(v.score) + " run for this series)";
  }

  private static String s(Verdict v) {
    return "observed " + Anomalies.num(v.observed);
  }
}
