package io.llmobserve.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The series budget and the no-NaN/Inf rule of the metrics sink's state. */
class MetricsBudgetTest {
  private static WindowAggregate window(String provider, double cost) {
    WindowAggregate w = new WindowAggregate();
    w.service = "svc";
    w.provider = provider;
    w.model = "m";
    w.region = "r";
    w.operation = "chat";
    w.okCalls = 1;
    w.costUsd = cost;
    w.windowEnd = 1000;
    w.latencyP50 = Double.NaN;
    w.latencyP95 = Double.NaN;
    w.latencyP99 = Double.NaN;
    w.ttftP50 = Double.NaN;
    w.ttftP95 = Double.NaN;
    w.ttftP99 = Double.NaN;
    w.overheadP50 = Double.NaN;
    w.overheadP95 = Double.NaN;
    w.overheadP99 = Double.NaN;
    w.minRemainingTokens = -1;
    w.maxLimitTokens = -1;
    return w;
  }

  @Test
  void newSeriesBeyondTheBudgetAreDroppedAndCountedPipelineSeriesStay() {
    MetricsState s = new MetricsState(60_000, 200);
    for (int i = 0; i < 1000; i++) {
      s.applyWindow(window("p" + i, 0.01));
    }
    s.applyHealth(HealthDelta.of(HealthDelta.RECEIVED, null, 5));
    assertThat(s.seriesCount()).isLessThanOrEqualTo(200 + 3);
    assertThat(counter(s, MetricKey.of("llm_pipeline_series_dropped", List.of()))).isGreaterThan(0);
    assertThat(counter(s, MetricKey.of(HealthDelta.RECEIVED, List.of()))).isEqualTo(5);
    // Existing series keep counting.
    double before =
        counter(
            s,
            MetricKey.of(
                "llm_calls", MetricsState.SERIES_OUTCOME, "svc", "p0", "m", "r", "chat", "ok"));
    s.applyWindow(window("p0", 0.01));
    assertThat(
            counter(
                s,
                MetricKey.of(
                    "llm_calls", MetricsState.SERIES_OUTCOME, "svc", "p0", "m", "r", "chat", "ok")))
        .isEqualTo(before + 1);
  }

  @Test
  void nanAndInfinityNeverReachACounter() {
    MetricsState s = new MetricsState(60_000);
    s.applyWindow(window("openai", 0.5));
    s.applyWindow(window("openai", Double.POSITIVE_INFINITY));
    s.applyWindow(window("openai", Double.NaN));
    assertThat(
            counter(
                s, MetricKey.of("llm_cost_usd", MetricsState.COST, "svc", "openai", "m", "false")))
        .isEqualTo(0.5);
    assertThat(
            counter(
                s, MetricKey.of("llm_pipeline_values_dropped", MetricsState.REASON, "non_finite")))
        .isEqualTo(2);
  }

  private static double counter(MetricsState s, MetricKey k) {
    return s.counterSnapshot().getOrDefault(k, 0d);
  }
}
