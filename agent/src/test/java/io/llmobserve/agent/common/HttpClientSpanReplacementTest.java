package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.OperationListener;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.internal.SpanKey;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientMetrics;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An exchange started as the call's HTTP client span makes upstream's own HTTP client instrumenter
 * (instrumentation-api's {@link Instrumenter} with its HTTP client attributes extractor, as every
 * upstream HTTP client instrumentation builds it) decline to start its span while the client sends,
 * and only then; it carries the HTTP attributes and records http.client.request.duration.
 */
class HttpClientSpanReplacementTest {
  private final TestTelemetry t = new TestTelemetry();

  /** Upstream's shape of an HTTP client instrumenter, over a request that is just its URL. */
  private final Instrumenter<String, Integer> upstreamHttpClient =
      Instrumenter.<String, Integer>builder(t.sdk, "upstream-http-client", url -> "POST")
          .addAttributesExtractor(HttpClientAttributesExtractor.create(new UrlGetter()))
          .buildInstrumenter(SpanKindExtractor.alwaysClient());

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void upstreamsHttpClientSpanIsSuppressedUnderOursOnly() {
    LlmExchange exchange =
        LlmExchange.startAsHttpClientSpan(t.telemetry, TestTelemetry.chatUrl(), "POST", n -> null);
    assertThat(exchange).isNotNull();
    assertThat(upstreamHttpClient.shouldStart(Context.current(), "u")).isTrue();
    try (Scope ignored = exchange.makeCurrent()) {
      assertThat(upstreamHttpClient.shouldStart(Context.current(), "u")).isFalse();
      assertThat(SpanKey.HTTP_CLIENT.fromContextOrNull(Context.current())).isNotNull();
    }
    // nothing of ours is left in the caller's context
    assertThat(SpanKey.HTTP_CLIENT.fromContextOrNull(Context.current())).isNull();
    assertThat(upstreamHttpClient.shouldStart(Context.current(), "u")).isTrue();
    exchange.end();

    // a plain exchange (clients where upstream's span stays, as our child)
    LlmExchange plain = t.startChat();
    try (Scope ignored = plain.makeCurrent()) {
      assertThat(upstreamHttpClient.shouldStart(Context.current(), "u")).isTrue();
    }
    plain.end();
  }

  /** Under upstream's span-kind strategy ours is stored under the key that strategy reads. */
  @Test
  void spanKindStrategyFindsOursUnderTheClientKindKey() {
    System.setProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY, "span-kind");
    TestTelemetry byKind = new TestTelemetry();
    try {
      Instrumenter<String, Integer> upstreamByKind =
          Instrumenter.<String, Integer>builder(byKind.sdk, "upstream-by-kind", url -> "POST")
              .addAttributesExtractor(HttpClientAttributesExtractor.create(new UrlGetter()))
              .buildInstrumenter(SpanKindExtractor.alwaysClient());
      LlmExchange exchange =
          LlmExchange.startAsHttpClientSpan(
              byKind.telemetry, TestTelemetry.chatUrl(), "POST", n -> null);
      try (Scope ignored = exchange.makeCurrent()) {
        assertThat(upstreamByKind.shouldStart(Context.current(), "u")).isFalse();
        assertThat(SpanKey.KIND_CLIENT.fromContextOrNull(Context.current())).isNotNull();
        assertThat(SpanKey.HTTP_CLIENT.fromContextOrNull(Context.current())).isNull();
      }
      assertThat(upstreamByKind.shouldStart(Context.current(), "u")).isTrue();
      exchange.end();
    } finally {
      System.clearProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY);
      byKind.close();
    }
  }

  @Test
  void oursCarriesTheHttpAttributesAndRecordsTheHttpMetric() {
    LlmExchange exchange =
        LlmExchange.startAsHttpClientSpan(t.telemetry, TestTelemetry.chatUrl(), "POST", n -> null);
    byte[] request = "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    exchange.requestBody(request, 0, request.length);
    exchange.networkProtocolVersion("2");
    Map<String, String> headers = Map.of("content-type", "application/json");
    exchange.responseHeaders(429, headers::get);
    exchange.end();

    SpanData span = t.spans.getFinishedSpanItems().get(0);
    Attributes a = span.getAttributes();
    assertThat(a.get(AttributeKey.stringKey("http.request.method"))).isEqualTo("POST");
    assertThat(a.get(AttributeKey.stringKey("network.protocol.version"))).isEqualTo("2");
    assertThat(a.get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(429L);
    assertThat(a.get(AttributeKey.stringKey("error.type"))).isEqualTo("429");

    MetricData duration =
        t.metrics.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("http.client.request.duration"))
            .findFirst()
            .orElseThrow();
    assertThat(duration.getUnit()).isEqualTo("s");
    List<HistogramPointData> points = List.copyOf(duration.getHistogramData().getPoints());
    assertThat(points).hasSize(1);
    HistogramPointData p = points.get(0);
    assertThat(p.getCount()).isEqualTo(1);
    assertThat(p.getAttributes().get(AttributeKey.stringKey("http.request.method")))
        .isEqualTo("POST");
    assertThat(p.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(429L);
    assertThat(p.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("429");
    assertThat(p.getAttributes().get(AttributeKey.stringKey("server.address")))
        .isEqualTo("llm.test");
    assertThat(p.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(8000L);
    assertThat(p.getAttributes().get(AttributeKey.stringKey("network.protocol.version")))
        .isEqualTo("2");
  }

  @Test
  void theHttpMetricIsDefinedAsUpstreamsHttpClientMetrics() {
    // upstream's own definition, recorded once in another scope of the same SDK
    OperationListener upstream = HttpClientMetrics.get().create(t.sdk.getMeter("upstream"));
    Attributes attributes = Attributes.of(AttributeKey.stringKey("http.request.method"), "POST");
    upstream.onEnd(upstream.onStart(Context.root(), attributes, 0), Attributes.empty(), 1);
    LlmExchange exchange =
        LlmExchange.startAsHttpClientSpan(t.telemetry, TestTelemetry.chatUrl(), "POST", n -> null);
    exchange.end();

    List<MetricData> both =
        t.metrics.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("http.client.request.duration"))
            .toList();
    assertThat(both).hasSize(2);
    MetricData theirs = both.get(0);
    MetricData ours = both.get(1);
    assertThat(ours.getUnit()).isEqualTo(theirs.getUnit());
    assertThat(ours.getDescription()).isEqualTo(theirs.getDescription());
    assertThat(ours.getHistogramData().getPoints().iterator().next().getBoundaries())
        .isEqualTo(theirs.getHistogramData().getPoints().iterator().next().getBoundaries());
  }

  @Test
  void aPlainExchangeRecordsNoHttpMetricAndNoMethod() {
    LlmExchange exchange = t.startChat();
    exchange.networkProtocolVersion("1.1");
    exchange.end();
    assertThat(t.spans.getFinishedSpanItems().get(0).getAttributes().asMap().keySet())
        .extracting(AttributeKey::getKey)
        .doesNotContain("http.request.method", "network.protocol.version");
    assertThat(t.metrics.collectAllMetrics())
        .extracting(MetricData::getName)
        .doesNotContain("http.client.request.duration");
  }

  private static final class UrlGetter implements HttpClientAttributesGetter<String, Integer> {
    @Override
    public String getUrlFull(String request) {
      return request;
    }

    @Override
    public String getServerAddress(String request) {
      return "llm.test";
    }

    @Override
    public Integer getServerPort(String request) {
      return 8000;
    }

    @Override
    public String getHttpRequestMethod(String request) {
      return "POST";
    }

    @Override
    public List<String> getHttpRequestHeader(String request, String name) {
      return List.of();
    }

    @Override
    public Integer getHttpResponseStatusCode(String request, Integer status, Throwable error) {
      return status;
    }

    @Override
    public List<String> getHttpResponseHeader(String request, Integer status, String name) {
      return List.of();
    }
  }
}
