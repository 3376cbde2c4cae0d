package io.llmobserve.pipeline.sink;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Exposes a {@link MetricsState} through the Prometheus client's registry (text/OpenMetrics). */
final class MetricsCollector implements MultiCollector {
  private static final Map<String, String> HELP =
      Map.ofEntries(
          Map.entry("llm_calls", "LLM calls by outcome (ok, error, throttled)"),
          Map.entry(
              "llm_calls_by_route",
              "LLM calls by where they were served (hosting provider, region, edge POP)"),
          Map.entry("llm_tokens", "LLM tokens by type (input includes cached)"),
          Map.entry("llm_cost_usd", "LLM cost in USD from the pricing table"),
          Map.entry("llm_latency_seconds", "LLM call duration quantiles, last closed window"),
          Map.entry(
              "llm_ttft_seconds", "Time to first token quantiles (streams), last closed window"),
          Map.entry(
              "llm_network_overhead_seconds",
              "Duration minus server processing time, last closed window"),
          Map.entry(
              "llm_ratelimit_remaining_tokens",
              "Lowest remaining rate-limit tokens seen in the last window"),
          Map.entry(
              "llm_ratelimit_limit_tokens",
              "Highest rate-limit token quota reported in the last window"),
          Map.entry("llm_anomaly_score", "Detector score, 0 = normal"),
          Map.entry("llm_anomaly_active", "1 while an anomaly of that kind is open"),
          Map.entry(
              "llm_anomaly_observed",
              "Value the detector observed in its last window (e.g. p95 seconds)"),
          Map.entry(
              "llm_anomaly_baseline", "Baseline the detector compared the observed value with"),
          Map.entry("llm_pipeline_spans_received", "Spans received by the pipeline (all kinds)"),
          Map.entry("llm_pipeline_spans_rejected", "LLM spans rejected by validation"),
          Map.entry(
              "llm_pipeline_spans_dropped",
              "Spans that are not LLM calls (not gen_ai, or gen_ai but not CLIENT)"),
          Map.entry("llm_pipeline_late_spans", "Spans that arrived after their window closed"),
          Map.entry(
              "llm_pipeline_malformed_requests", "OTLP requests/records that could not be decoded"),
          Map.entry(
              "llm_pipeline_records_rejected",
              "OTLP records (Kafka) refused by a request limit, by reason"),
          Map.entry(
              "llm_pipeline_series_dropped",
              "New series not created because the series budget was spent"),
          Map.entry(
              "llm_pipeline_values_dropped",
              "Values kept out of counters and gauges (reason non_finite)"),
          Map.entry(
              "llm_pipeline_attributes_dropped",
              "Implausible optional span attributes ignored, by reason"));

  private final MetricsState state;

  MetricsCollector(MetricsState state) {
    this.state = state;
  }

  @Override
  public MetricSnapshots collect() {
    return collect(name -> true);
  }

  /**
   * Only the metrics a scrape asked for ({@code /metrics?name[]=...}): with many keys /metrics
   * holds millions of series, and a scraper that wants two counters should not pay for them all.
   */
  @Override
  public MetricSnapshots collect(Predicate<String> includedNames) {
    Map<String, Boolean> included = new HashMap<>();
    Map<String, CounterSnapshot.Builder> counters = new TreeMap<>();
    for (Map.Entry<MetricKey, Double> e : state.visibleCounters().entrySet()) {
      MetricKey k = e.getKey();
      if (!included.computeIfAbsent(k.name(), includedNames::test)) {
        continue;
      }
      counters
          .computeIfAbsent(k.name(), n -> CounterSnapshot.builder().name(n).help(HELP.get(n)))
          .dataPoint(
              CounterSnapshot.CounterDataPointSnapshot.builder()
                  .value(e.getValue())
                  .labels(Labels.of(k.labelNames(), k.labelValues()))
                  .build());
    }
    Map<String, GaugeSnapshot.Builder> gauges = new TreeMap<>();
    for (Map.Entry<MetricKey, MetricsState.Gauge> e : state.gauges.entrySet()) {
      MetricKey k = e.getKey();
      if (!included.computeIfAbsent(k.name(), includedNames::test)) {
        continue;
      }
      gauges
          .computeIfAbsent(k.name(), n -> GaugeSnapshot.builder().name(n).help(HELP.get(n)))
          .dataPoint(
              GaugeSnapshot.GaugeDataPointSnapshot.builder()
                  .value(e.getValue().value())
                  .labels(Labels.of(k.labelNames(), k.labelValues()))
                  .build());
    }
    // The state budget, next to what it bounds.
    gauges
        .computeIfAbsent(
            "llm_pipeline_series",
            n ->
                GaugeSnapshot.builder()
                    .name(n)
                    .help("Series held by the metrics sink (counters and gauges)"))
        .dataPoint(
            GaugeSnapshot.GaugeDataPointSnapshot.builder().value(state.seriesCount()).build());
    gauges
        .computeIfAbsent(
            "llm_pipeline_series_limit",
            n ->
                GaugeSnapshot.builder()
                    .name(n)
                    .help(
                        "Series budget of the metrics sink (max-series); beyond it new series are dropped"))
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(state.maxSeries()).build());
    List<MetricSnapshot> all = new ArrayList<>();
    counters.values().forEach(b -> all.add(b.build()));
    gauges.forEach(
        (name, b) -> {
          if (included.computeIfAbsent(name, includedNames::test)) {
            all.add(b.build());
          }
        });
    return new MetricSnapshots(all);
  }
}
