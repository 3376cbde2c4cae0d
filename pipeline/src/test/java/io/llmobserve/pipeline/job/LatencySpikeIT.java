package io.llmobserve.pipeline.job;

import static io.llmobserve.pipeline.bench.OtlpPayloads.call;
import static io.llmobserve.pipeline.bench.OtlpPayloads.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobserve.pipeline.config.PipelineConfig;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A latency spike in one series opens and then resolves a latency_spike alert while a control
 * series with the same traffic stays quiet. Event time is synthetic (a past timeline sent in
 * order), so the test needs no wall-clock waiting. Exercises the real detectors (detect package).
 */
class LatencySpikeIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void spikeOpensAndResolvesWhileControlStaysQuiet(@TempDir Path dir) throws Exception {
    Path alerts = dir.resolve("alerts.jsonl");
    PipelineConfig cfg =
        PipelineConfig.defaultsWith(
            Map.of(
                "otlp-host",
                "127.0.0.1",
                "otlp-port",
                "0",
                "metrics-port",
                "0",
                "window",
                "1s",
                "out-of-orderness",
                "100ms",
                // A past timeline: a pause between two POSTs longer than this would let event time
                // run
                // ahead of the next spans (the rule in DESIGN.md); allow for a loaded machine.
                "idle-timeout",
                "3s",
                "alerts-out",
                alerts.toString(),
                "detector.warmup.windows",
                "10",
                "data-dir",
                dir.resolve("data").toString()));
    CounterWatch counters = new CounterWatch();
    try (EmbeddedPipeline p = EmbeddedPipeline.start(cfg)) {
      Random rnd = new Random(42);
      long t0 =
          (System.currentTimeMillis() - 600_000)
              / 1000
              * 1000; // 10 minutes ago, on a window boundary
      int windows = 70;
      for (int w = 0; w < windows; w++) {
        boolean spike = w >= 40 && w < 48;
        List<Span> spiky = new ArrayList<>();
        List<Span> control = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          long end = t0 + w * 1000L + 20 + i * 45;
          double normal = 0.5 + rnd.nextGaussian() * 0.03;
          spiky.add(
              call("openai", "gpt-4o", end, spike ? normal * 6 : normal).tokens(500, 100).build());
          control.add(
              call("openai", "gpt-4o", end, 0.5 + rnd.nextGaussian() * 0.03)
                  .tokens(500, 100)
                  .build());
        }
        post(p, request("spiky", spiky));
        post(p, request("control", control));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                List<JsonNode> lines = read(alerts);
                assertThat(lines)
                    .anySatisfy(
                        a -> {
                          assertThat(a.get("kind").asText()).isEqualTo("latency_spike");
                          assertThat(a.get("state").asText()).isEqualTo("firing");
                          assertThat(a.get("service").asText()).isEqualTo("spiky");
                          assertThat(a.get("window_start").asLong())
                              .isBetween(t0 + 40_000, t0 + 43_000);
                        });
                assertThat(lines)
                    .anySatisfy(
                        a -> {
                          assertThat(a.get("kind").asText()).isEqualTo("latency_spike");
                          assertThat(a.get("state").asText()).isEqualTo("resolved");
                          assertThat(a.get("service").asText()).isEqualTo("spiky");
                        });
              });
      assertThat(read(alerts))
          .noneSatisfy(a -> assertThat(a.get("service").asText()).isEqualTo("control"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                PromText m = counters.scrape(p.metricsPort());
                assertThat(m.sum("llm_calls_total"))
                    .isEqualTo(windows * 40); // the last window closed too
                assertThat(m.sum("llm_anomaly_active", "kind=latency_spike", "service=spiky"))
                    .isZero();
                assertThat(m.sum("llm_pipeline_late_spans_total")).isZero();
              });
    }
  }

  static void post(EmbeddedPipeline p, ExportTraceServiceRequest r) throws Exception {
    HttpResponse<String> resp =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.otlpPort() + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(r.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
  }

  static List<JsonNode> read(Path f) throws Exception {
    if (!Files.exists(f)) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }
}
