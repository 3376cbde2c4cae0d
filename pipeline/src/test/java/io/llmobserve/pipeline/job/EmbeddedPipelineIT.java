package io.llmobserve.pipeline.job;

import static io.llmobserve.pipeline.bench.OtlpPayloads.call;
import static io.llmobserve.pipeline.bench.OtlpPayloads.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.decode.OtlpMetricsDecoderTest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end in embedded mode: OTLP protobuf POSTed to the receiver, exact counts read back from
 * /metrics over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedPipelineIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final CounterWatch COUNTERS = new CounterWatch();
  private static EmbeddedPipeline pipeline;

  @TempDir static Path data;

  @BeforeAll
  static void start() throws Exception {
    pipeline =
        EmbeddedPipeline.start(
            PipelineConfig.defaultsWith(
                Map.of(
                    "data-dir",
                    data.toString(),
                    "otlp-host",
                    "127.0.0.1",
                    "otlp-port",
                    "0",
                    "metrics-port",
                    "0",
                    "window",
                    "1s",
                    // The spans below carry one timestamp taken before several requests: allow for
                    // a loaded
                    // machine taking seconds over them (a span this much behind the others would be
                    // late).
                    "out-of-orderness",
                    "3s",
                    "idle-timeout",
                    "2s",
                    "checkpoint-interval",
                    "2s",
                    "max-body-bytes",
                    "100000",
                    "parallelism",
                    "2")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  static HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.otlpPort() + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * /v1/metrics: the agent's in-flight metrics open a stall on a key with a latency baseline while
   * the call is still open, and close it once the call ended.
   */
  @Test
  @Order(2) // after the exact counts: its spans would hold the watermark of the quiet input ahead
  void inFlightMetricsOpenAndCloseAStall() throws Exception {
    long now = System.currentTimeMillis();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      spans.add(
          call("openai", "gpt-4o-2024-08-06", now - 300 + i * 10, 0.4 + i * 0.01)
              .str("gen_ai.request.model", "gpt-4o")
              .region("East US 2")
              .build());
    }
    assertThat(
            post("/v1/traces", "application/x-protobuf", request("stalls", spans).toByteArray())
                .statusCode())
        .isEqualTo(200);
    // once the completed calls reached the stall detector (their latency baseline): one call hangs
    // for 30 s
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              byte[] hanging =
                  OtlpMetricsDecoderTest.inFlight(
                          "stalls", "openai", "gpt-4o", 1, 30.0, System.currentTimeMillis())
                      .toByteArray();
              assertThat(post("/v1/metrics", "application/x-protobuf", hanging).statusCode())
                  .isEqualTo(200);
              PromText m = PromText.scrape(pipeline.metricsPort());
              assertThat(
                      m.sum(
                          "llm_anomaly_active",
                          "kind=stall",
                          "service=stalls",
                          "provider=openai",
                          "model=gpt-4o-2024-08-06",
                          "region=East US 2",
                          "operation=chat"))
                  .isEqualTo(1);
              assertThat(m.sum("llm_anomaly_observed", "kind=stall", "service=stalls"))
                  .isEqualTo(30.0);
            });
    byte[] ended =
        OtlpMetricsDecoderTest.inFlight(
                "stalls", "openai", "gpt-4o", 0, 0, System.currentTimeMillis())
            .toByteArray();
    assertThat(post("/v1/metrics", "application/x-protobuf", ended).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(
                        PromText.scrape(pipeline.metricsPort())
                            .sum("llm_anomaly_active", "kind=stall", "service=stalls"))
                    .isEqualTo(0));
  }

  @Test
  @Order(1)
  void countsTokensAndOutcomesExactlyAndCountsBadInput() throws Exception {
    long now = System.currentTimeMillis();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      spans.add(
          call("openai", "gpt-4o-2024-08-06", now - i * 10, 0.5 + i * 0.01)
              .tokens(100, 20)
              .region("East US 2")
              .str("llm.hosting.provider", "azure")
              .lng("llm.ratelimit.remaining_tokens", 20_000 + i)
              .lng("llm.ratelimit.limit_tokens", 30_000)
              .status(i < 30 ? 200 : 429)
              .build());
    }
    for (int i = 0; i < 10; i++) {
      spans.add(
          call("anthropic", "claude-sonnet-4-20250514", now - i * 10, 1.0)
              .tokens(1000, 5)
              .str("llm.hosting.provider", "cloudflare")
              .str("llm.edge.pop", i < 4 ? "SJC" : "FRA")
              .str("error.type", "overloaded_error")
              .status(529)
              .build());
    }
    spans.add(
        call("openai", "gpt-4o", now, 1).kind(Span.SpanKind.SPAN_KIND_INTERNAL).build()); // dropped
    spans.add(call("", "gpt-4o", now, 1).build()); // gen_ai CLIENT without provider: rejected
    spans.add(call("openai", "gpt-4o", now, 1).tokens(-5, 1).build()); // rejected

    assertThat(
            post("/v1/traces", "application/x-protobuf", request("checkout", spans).toByteArray())
                .statusCode())
        .isEqualTo(200);
    // Malformed protobuf: 400 and counted.
    assertThat(
            post("/v1/traces", "application/x-protobuf", new byte[] {(byte) 0xff, 0x7f})
                .statusCode())
        .isEqualTo(400);
    // Oversize: 413.
    assertThat(post("/v1/traces", "application/x-protobuf", new byte[200_000]).statusCode())
        .isEqualTo(413);
    // Logs from an agent pointed here: accepted and discarded.
    assertThat(post("/v1/logs", "application/x-protobuf", new byte[0]).statusCode()).isEqualTo(200);
    // OTLP/JSON: one more call for a second service. Its own end time: the requests above take a
    // while on a loaded machine, and an idle input lets event time follow the wall clock.
    now = System.currentTimeMillis();
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"search"}}]},
          "scopeSpans":[{"spans":[{"name":"chat gpt-4o-mini","kind":3,
            "startTimeUnixNano":"%d","endTimeUnixNano":"%d",
            "attributes":[{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},
                          {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
                          {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},
                          {"key":"gen_ai.usage.input_tokens","value":{"intValue":"7"}},
                          {"key":"gen_ai.usage.output_tokens","value":{"intValue":"3"}}]}]}]}]}
        """
            .formatted((now - 300) * 1_000_000L, now * 1_000_000L);
    assertThat(
            post("/v1/traces", "application/json", json.getBytes(StandardCharsets.UTF_8))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post("/v1/traces", "application/json", "{not json".getBytes(StandardCharsets.UTF_8))
                .statusCode())
        .isEqualTo(400);
    // Metrics are read (in-flight calls, for stall detection); malformed ones answered 400 and
    // counted.
    assertThat(post("/v1/metrics", "application/x-protobuf", new byte[0]).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/metrics", "application/x-protobuf", new byte[] {1, 2, 3}).statusCode())
        .isEqualTo(400);

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              PromText m = COUNTERS.scrape(pipeline.metricsPort());
              assertThat(
                      m.sum("llm_calls_total", "service=checkout", "provider=openai", "outcome=ok"))
                  .isEqualTo(30);
              assertThat(
                      m.sum(
                          "llm_calls_total",
                          "service=checkout",
                          "provider=openai",
                          "outcome=throttled"))
                  .isEqualTo(10);
              assertThat(
                      m.sum(
                          "llm_calls_total",
                          "service=checkout",
                          "provider=anthropic",
                          "outcome=error"))
                  .isEqualTo(10);
              assertThat(m.sum("llm_calls_total", "service=search", "model=gpt-4o-mini"))
                  .isEqualTo(1);
              assertThat(m.sum("llm_pipeline_malformed_requests_total")).isEqualTo(3);
            });
    PromText m = COUNTERS.scrape(pipeline.metricsPort());
    assertThat(m.sum("llm_calls_total")).isEqualTo(51);
    // A scraper may ask for some metrics only (name[] as in Prometheus federation).
    PromText some =
        PromText.scrape(
            pipeline.metricsPort(), "name%5B%5D=llm_calls_total&name[]=llm_pipeline_series");
    assertThat(some.sum("llm_calls_total")).isEqualTo(51);
    assertThat(some.raw)
        .contains("llm_pipeline_series ")
        .doesNotContain("llm_tokens_total")
        .doesNotContain("llm_calls_by_route_total")
        .doesNotContain("llm_pipeline_series_limit");
    assertThat(m.sum("llm_tokens_total", "provider=openai", "service=checkout", "type=input"))
        .isEqualTo(4000);
    assertThat(m.sum("llm_tokens_total", "provider=openai", "service=checkout", "type=output"))
        .isEqualTo(800);
    assertThat(m.sum("llm_tokens_total", "provider=anthropic", "type=input")).isEqualTo(10_000);
    assertThat(m.sum("llm_tokens_total", "service=search", "type=output")).isEqualTo(3);
    assertThat(m.sum("llm_calls_total", "region=East US 2")).isEqualTo(40);
    assertThat(m.sum("llm_pipeline_spans_received_total")).isEqualTo(54);
    assertThat(m.sum("llm_pipeline_spans_rejected_total", "reason=missing_provider")).isEqualTo(1);
    assertThat(m.sum("llm_pipeline_spans_rejected_total", "reason=negative_tokens")).isEqualTo(1);
    assertThat(m.sum("llm_pipeline_spans_dropped_total", "reason=genai_not_client")).isEqualTo(1);
    // gpt-4o: 4000 in * 2.5 + 800 out * 10 per 1M = 0.018 USD
    assertThat(m.sum("llm_cost_usd_total", "service=checkout", "provider=openai"))
        .isCloseTo(0.018, Offset.offset(1e-9));
    assertThat(m.sum("llm_latency_seconds", "provider=anthropic", "quantile=0.5"))
        .isCloseTo(1.0, Offset.offset(1e-6));
    assertThat(m.raw).contains("llm_latency_seconds{").contains("quantile=\"0.99\"");
    // Where calls were served: every call once, absent attributes as "unknown".
    assertThat(m.sum("llm_calls_by_route_total")).isEqualTo(51);
    assertThat(
            m.sum(
                "llm_calls_by_route_total",
                "service=checkout",
                "provider=openai",
                "hosting_provider=azure",
                "region=East US 2",
                "edge_pop=unknown"))
        .isEqualTo(40);
    assertThat(
            m.sum(
                "llm_calls_by_route_total",
                "provider=anthropic",
                "hosting_provider=cloudflare",
                "edge_pop=SJC"))
        .isEqualTo(4);
    assertThat(
            m.sum(
                "llm_calls_by_route_total",
                "provider=anthropic",
                "hosting_provider=cloudflare",
                "edge_pop=FRA"))
        .isEqualTo(6);
    assertThat(
            m.sum(
                "llm_calls_by_route_total",
                "service=search",
                "hosting_provider=unknown",
                "region=unknown",
                "edge_pop=unknown"))
        .isEqualTo(1);
    // Rate limits: lowest remaining, highest limit of the window(s).
    assertThat(m.sum("llm_ratelimit_limit_tokens", "provider=openai", "region=East US 2"))
        .isEqualTo(30_000);
    assertThat(m.raw).contains("llm_ratelimit_remaining_tokens{");
    // Nothing more arrives: the counts stay, through later checkpoints too (issue 9: 51 -> 3).
    await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(COUNTERS.scrape(pipeline.metricsPort()).sum("llm_calls_total"))
                    .isEqualTo(51));
  }
}
