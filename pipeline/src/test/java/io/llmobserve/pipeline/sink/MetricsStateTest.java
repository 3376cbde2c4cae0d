package io.llmobserve.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.model.WindowAggregate;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetricsStateTest {
  static WindowAggregate window(long end, long ok, long errors, double p50) {
    WindowAggregate w = new WindowAggregate();
    w.service = "svc";
    w.provider = "openai";
    w.model = "gpt-4o";
    w.region = "East US 2";
    w.operation = "chat";
    w.windowStart = end - 10_000;
    w.windowEnd = end;
    w.calls = ok + errors;
    w.okCalls = ok;
    w.errorCalls = errors;
    w.inputTokens = 100 * w.calls;
    w.outputTokens = 10 * w.calls;
    w.costUsd = 0.5;
    w.latencyP50 = p50;
    w.latencyP95 = p50 * 2;
    w.latencyP99 = p50 * 3;
    w.minRemainingTokens = 5000;
    w.maxLimitTokens = 30_000;
    return w;
  }

  static String text(MetricsState state) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(bos, new MetricsCollector(state).collect());
    return bos.toString(StandardCharsets.UTF_8);
  }

  @Test
  void countersAddUpAndGaugesShowTheLastWindow() throws Exception {
    MetricsState s = new MetricsState(600_000);
    s.apply(MetricInput.of(window(10_000, 3, 1, 0.5)));
    s.apply(MetricInput.of(window(20_000, 2, 0, 0.7)));
    s.apply(MetricInput.of(HealthDelta.of(HealthDelta.RECEIVED, null, 7)));
    s.apply(MetricInput.of(HealthDelta.of(HealthDelta.REJECTED, "negative_tokens", 2)));
    AnomalyEvent a = new AnomalyEvent();
    a.kind = "latency_spike";
    a.service = "svc";
    a.provider = "openai";
    a.model = "gpt-4o";
    a.region = "East US 2";
    a.operation = "chat";
    a.score = 7.5;
    a.active = true;
    a.windowEnd = 20_000;
    s.apply(MetricInput.of(a));

    String t = text(s);
    assertThat(t)
        .contains(
            "llm_calls_total{model=\"gpt-4o\",operation=\"chat\",outcome=\"ok\",provider=\"openai\",region=\"East US 2\",service=\"svc\"} 5.0");
    assertThat(t)
        .contains(
            "llm_calls_total{model=\"gpt-4o\",operation=\"chat\",outcome=\"error\",provider=\"openai\",region=\"East US 2\",service=\"svc\"} 1.0");
    assertThat(t)
        .contains(
            "llm_calls_total{model=\"gpt-4o\",operation=\"chat\",outcome=\"throttled\",provider=\"openai\",region=\"East US 2\",service=\"svc\"} 0.0");
    assertThat(t)
        .contains(
            "llm_tokens_total{estimated=\"false\",model=\"gpt-4o\",operation=\"chat\",provider=\"openai\",region=\"East US 2\",service=\"svc\",type=\"input\"} 600.0");
    assertThat(t)
        .contains(
            "llm_cost_usd_total{estimated=\"false\",model=\"gpt-4o\",provider=\"openai\",service=\"svc\"} 1.0");
    assertThat(t)
        .as("no estimated series before anything was estimated")
        .doesNotContain("estimated=\"true\"");
    assertThat(t)
        .contains(
            "llm_latency_seconds{model=\"gpt-4o\",operation=\"chat\",provider=\"openai\",quantile=\"0.5\",region=\"East US 2\",service=\"svc\"} 0.7");
    assertThat(t)
        .contains(
            "llm_ratelimit_remaining_tokens{model=\"gpt-4o\",provider=\"openai\",region=\"East US 2\"} 5000.0");
    assertThat(t)
        .contains(
            "llm_ratelimit_limit_tokens{model=\"gpt-4o\",provider=\"openai\",region=\"East US 2\"} 30000.0");
    assertThat(t)
        .contains(
            "llm_anomaly_active{kind=\"latency_spike\",model=\"gpt-4o\",operation=\"chat\",provider=\"openai\",region=\"East US 2\",service=\"svc\"} 1.0");
    assertThat(t).contains("llm_anomaly_score{kind=\"latency_spike\"");
    assertThat(t).contains("llm_pipeline_spans_received_total 7.0");
    assertThat(t).contains("llm_pipeline_spans_rejected_total{reason=\"negative_tokens\"} 2.0");
    assertThat(t).doesNotContain("llm_ttft_seconds{"); // no stream in these windows
  }

  static AnomalyEvent anomaly(String kind, long windowEnd, double observed, double baseline) {
    AnomalyEvent a = new AnomalyEvent();
    a.kind = kind;
    a.service = "svc";
    a.provider = "openai";
    a.model = "gpt-4o";
    a.region = "East US 2";
    a.operation = "chat";
    a.score = 5;
    a.active = true;
    a.windowEnd = windowEnd;
    a.observed = observed;
    a.baseline = baseline;
    return a;
  }

  @Test
  void anomalyObservedAndBaselineAreGaugesWithTheAnomalyLabelsAndExpireLikeTheScore()
      throws Exception {
    MetricsState s = new MetricsState(60_000);
    s.apply(MetricInput.of(anomaly("latency_spike", 10_000, 2.5, 0.75)));
    s.apply(MetricInput.of(anomaly("model_drift", 10_000, Double.NaN, Double.NaN)));
    String t = text(s);
    String labels =
        "{kind=\"latency_spike\",model=\"gpt-4o\",operation=\"chat\",provider=\"openai\",region=\"East US 2\",service=\"svc\"}";
    assertThat(t).contains("llm_anomaly_observed" + labels + " 2.5");
    assertThat(t).contains("llm_anomaly_baseline" + labels + " 0.75");
    // A detector without numbers (NaN) exports no observed/baseline sample at all.
    assertThat(t).contains("llm_anomaly_score{kind=\"model_drift\"");
    assertThat(t).doesNotContain("llm_anomaly_observed{kind=\"model_drift\"");
    assertThat(t).doesNotContain("llm_anomaly_baseline{kind=\"model_drift\"");
    assertThat(t).doesNotContain("NaN");

    // A later NaN verdict of the same key drops the old value instead of keeping it.
    s.apply(MetricInput.of(anomaly("latency_spike", 20_000, 3.0, Double.NaN)));
    t = text(s);
    assertThat(t).contains("llm_anomaly_observed" + labels + " 3.0");
    assertThat(t).doesNotContain("llm_anomaly_baseline" + labels);

    // Event time moves far past the TTL: values go with the score.
    s.apply(MetricInput.of(window(200_000, 1, 0, 0.5)));
    s.expireGauges();
    t = text(s);
    assertThat(t).doesNotContain("llm_anomaly_score{kind=\"latency_spike\"");
    assertThat(t).doesNotContain("llm_anomaly_observed{");
    assertThat(t).doesNotContain("llm_anomaly_baseline{");
  }

  @Test
  void routeCountsAddUpPerRouteAndSurviveACheckpoint() throws Exception {
    MetricsState s = new MetricsState(60_000);
    for (long calls : new long[] {3, 4}) {
      RouteCount r = new RouteCount();
      r.service = "svc";
      r.provider = "openai";
      r.hostingProvider = "cloudflare";
      r.region = "unknown";
      r.edgePop = "SJC";
      r.calls = calls;
      s.apply(MetricInput.of(r));
    }
    String line =
        "llm_calls_by_route_total{edge_pop=\"SJC\",hosting_provider=\"cloudflare\",provider=\"openai\",region=\"unknown\",service=\"svc\"} 7.0";
    assertThat(text(s)).contains(line);
    MetricsState r = new MetricsState(60_000);
    r.restore(s.toBytes());
    assertThat(text(r)).contains(line);
  }

  @Test
  void checkpointedBytesRestoreExactly() throws Exception {
    MetricsState s = new MetricsState(600_000);
    s.apply(MetricInput.of(window(10_000, 3, 1, 0.5)));
    s.apply(MetricInput.of(HealthDelta.of(HealthDelta.LATE, null, 4)));
    MetricsState r = new MetricsState(600_000);
    r.restore(
        new MetricsState.Serializer()
            .deserialize(1, new MetricsState.Serializer().serialize(s.toBytes())));
    assertThat(text(r)).isEqualTo(text(s));
  }

  /** Checkpoints written before the compact form (label strings in full) still restore. */
  @Test
  void firstCheckpointFormStillRestores() throws Exception {
    java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bos);
    out.writeLong(10_000); // maxEventTime
    out.writeInt(1); // one counter
    out.writeUTF("llm_pipeline_late_spans");
    out.writeInt(0);
    out.writeDouble(4);
    out.writeInt(1); // one gauge
    out.writeUTF("llm_ratelimit_remaining_tokens");
    out.writeInt(1);
    out.writeUTF("provider");
    out.writeUTF("openai");
    out.writeDouble(1234);
    out.writeLong(10_000);
    out.flush();
    MetricsState r = new MetricsState(600_000);
    r.restore(bos.toByteArray());
    assertThat(text(r))
        .contains("llm_pipeline_late_spans_total 4.0")
        .contains("llm_ratelimit_remaining_tokens{provider=\"openai\"} 1234.0");
    MetricsState again = new MetricsState(600_000);
    again.restore(r.toBytes());
    assertThat(text(again)).isEqualTo(text(r));
  }

  @Test
  void staleGaugesExpireButCountersStay() throws Exception {
    MetricsState s = new MetricsState(60_000);
    s.apply(MetricInput.of(window(10_000, 1, 0, 0.5)));
    WindowAggregate other = window(200_000, 1, 0, 0.9);
    other.model = "gpt-4.1";
    s.apply(MetricInput.of(other));
    s.expireGauges();
    String t = text(s);
    assertThat(t).doesNotContain("llm_latency_seconds{model=\"gpt-4o\"");
    assertThat(t).contains("llm_latency_seconds{model=\"gpt-4.1\"");
    assertThat(t).contains("llm_calls_total{model=\"gpt-4o\"");
  }

  @Test
  void estimatedTokensAndCostAreKeptApartFromReportedOnes() throws Exception {
    MetricsState s = new MetricsState(600_000);
    WindowAggregate w = window(10_000, 3, 0, 0.5);
    w.inputTokens = 1000;
    w.outputTokens = 300;
    w.costUsd = 2.0;
    w.estimatedInputTokens = 400;
    w.estimatedOutputTokens = 100;
    w.estimatedCostUsd = 0.5;
    s.apply(MetricInput.of(w));
    String t = text(s);
    String labels =
        "model=\"gpt-4o\",operation=\"chat\",provider=\"openai\",region=\"East US 2\",service=\"svc\"";
    assertThat(t)
        .contains("llm_tokens_total{estimated=\"false\"," + labels + ",type=\"input\"} 600.0");
    assertThat(t)
        .contains("llm_tokens_total{estimated=\"true\"," + labels + ",type=\"input\"} 400.0");
    assertThat(t)
        .contains("llm_tokens_total{estimated=\"false\"," + labels + ",type=\"output\"} 200.0");
    assertThat(t)
        .contains("llm_tokens_total{estimated=\"true\"," + labels + ",type=\"output\"} 100.0");
    assertThat(t)
        .contains(
            "llm_cost_usd_total{estimated=\"false\",model=\"gpt-4o\",provider=\"openai\",service=\"svc\"} 1.5");
    assertThat(t)
        .contains(
            "llm_cost_usd_total{estimated=\"true\",model=\"gpt-4o\",provider=\"openai\",service=\"svc\"} 0.5");
  }

  @Test
  void aScrapeCanAskForSomeMetricsOnly() throws Exception {
    MetricsState s = new MetricsState(600_000);
    s.apply(MetricInput.of(window(10_000, 3, 1, 0.5)));
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create()
        .write(
            bos,
            new MetricsCollector(s)
                .collect(
                    MetricsSink.nameFilter(
                        "x=1&name%5B%5D=llm_calls_total&name[]=llm_latency_seconds")));
    String t = bos.toString(StandardCharsets.UTF_8);
    assertThat(t).contains("llm_calls_total{").contains("llm_latency_seconds{");
    assertThat(t)
        .doesNotContain("llm_tokens_total")
        .doesNotContain("llm_calls_by_route")
        .doesNotContain("llm_pipeline_series");
    assertThat(MetricsSink.nameFilter(null).test("llm_tokens")).isTrue();
    assertThat(MetricsSink.nameFilter("foo=bar").test("llm_tokens")).isTrue();
  }
}
