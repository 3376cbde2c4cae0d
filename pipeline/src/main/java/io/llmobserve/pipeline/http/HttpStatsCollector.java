package io.llmobserve.pipeline.http;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;

/**
 * {@code llm_pipeline_http_requests_total{server,route,outcome}}: every answer of the pipeline's
 * HTTP servers (receiver, /metrics). Counted in the process, not in checkpoints: it restarts at 0
 * with the process, which Prometheus reads as a counter reset. Bounded: routes and outcomes are
 * fixed sets.
 */
public final class HttpStatsCollector implements MultiCollector {
  private final List<BoundedHttpServer> servers;

  public HttpStatsCollector(List<BoundedHttpServer> servers) {
    this.servers = List.copyOf(servers);
  }

  @Override
  public MetricSnapshots collect() {
    CounterSnapshot.Builder b =
        CounterSnapshot.builder()
            .name("llm_pipeline_http_requests")
            .help(
                "Answers of the pipeline's HTTP servers by route and outcome (accepted, too_large, overloaded, ...)");
    for (BoundedHttpServer s : servers) {
      for (Map.Entry<List<String>, Long> e : s.counts().entrySet()) {
        b.dataPoint(
            CounterSnapshot.CounterDataPointSnapshot.builder()
                .value(e.getValue())
                .labels(
                    Labels.of(
                        "server",
                        s.name(),
                        "route",
                        e.getKey().get(0),
                        "outcome",
                        e.getKey().get(1)))
                .build());
      }
    }
    return new MetricSnapshots(b.build());
  }
}
