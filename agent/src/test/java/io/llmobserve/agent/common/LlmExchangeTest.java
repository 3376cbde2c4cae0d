package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The span and metrics an exchange produces from real request/response bytes. */
class LlmExchangeTest {
  private static final String REQUEST =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":20}";
  private static final String RESPONSE =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-2024-08-06\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,"
          + "\"total_tokens\":12}}";

  private final TestTelemetry t = new TestTelemetry();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void protocolVersionsAsUpstreamWritesThem() {
    assertThat(LlmExchange.protocolVersion(1, 1)).isEqualTo("1.1");
    assertThat(LlmExchange.protocolVersion(1, 0)).isEqualTo("1.0");
    assertThat(LlmExchange.protocolVersion(2, 0)).isEqualTo("2");
    assertThat(LlmExchange.protocolVersion(3, 0)).isEqualTo("3");
    assertThat(LlmExchange.protocolVersion(0, 9)).isEqualTo("0.9");
    assertThat(LlmExchange.protocolVersion(2, 1)).isEqualTo("2.1");
  }

  @Test
  void nonLlmRequestIsNotObserved() {
    ServerUrl other = new ServerUrl("http", "example.com", -1, "/api/users", "x");
    assertThat(LlmExchange.start(t.telemetry, other, name -> null)).isNull();
    assertThat(
            LlmExchange.start(
                t.telemetry, new ServerUrl("http", "llm.test", 8000, "/health", "x"), name -> null))
        .isNull();
  }

  @Test
  void chatCallBecomesOneClientSpanWithUsage() {
    LlmExchange exchange = t.startChat();
    assertThat(exchange).isNotNull();
    ByteBuffer request = ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.UTF_8));
    exchange.requestBody(request);
    assertThat(request.position()).isZero();
    Map<String, String> headers =
        Map.of("content-type", "application/json", "x-request-id", "req-7");
    exchange.responseHeaders(200, headers::get);
    byte[] body = RESPONSE.getBytes(StandardCharsets.UTF_8);
    exchange.responseBody(body, 0, 40);
    exchange.responseBody(body, 40, body.length - 40);
    exchange.end();
    exchange.end();
    exchange.fail("late failure is ignored");

    List<SpanData> spans = t.spans.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    SpanData span = spans.get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getName()).isEqualTo("chat gpt-4o");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
        .isEqualTo("test-llm");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
        .isEqualTo("gpt-4o-2024-08-06");
    assertThat(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(9L);
    assertThat(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .isEqualTo(3L);
    assertThat(
            span.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("stop");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address")))
        .isEqualTo("llm.test");
    assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(8000L);
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(200L);

    Collection<MetricData> metrics = t.metrics.collectAllMetrics();
    assertThat(metrics)
        .extracting(MetricData::getName)
        .contains("gen_ai.client.token.usage", "gen_ai.client.operation.duration");
    MetricData tokens =
        metrics.stream()
            .filter(m -> m.getName().equals("gen_ai.client.token.usage"))
            .findFirst()
            .orElseThrow();
    assertThat(tokens.getHistogramData().getPoints())
        .extracting(
            p ->
                p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type"))
                    + "="
                    + (long) p.getSum())
        .containsExactlyInAnyOrder("input=9", "output=3");
    assertThat(tokens.getHistogramData().getPoints())
        .allSatisfy(
            p -> {
              assertThat(p.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
                  .isEqualTo("test-llm");
              assertThat(p.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                  .isEqualTo("gpt-4o");
              assertThat(p.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
                  .isEqualTo("gpt-4o-2024-08-06");
            });
  }

  @Test
  void httpErrorStatusMarksSpanAndMetricAsError() {
    LlmExchange exchange = t.startChat();
    exchange.requestBody(ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.UTF_8)));
    exchange.responseHeaders(429, Map.of("content-type", "application/json")::get);
    byte[] body = "{\"error\":{\"type\":\"requests\"}}".getBytes(StandardCharsets.UTF_8);
    exchange.responseBody(body, 0, body.length);
    exchange.end();

    SpanData span = t.spans.getFinishedSpanItems().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("429");
    MetricData duration =
        t.metrics.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("gen_ai.client.operation.duration"))
            .findFirst()
            .orElseThrow();
    assertThat(duration.getHistogramData().getPoints())
        .allSatisfy(
            p ->
                assertThat(p.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo("429"));
  }

  @Test
  void failureEndsSpanOnceWithErrorType() {
    LlmExchange exchange = t.startChat();
    exchange.fail(new IOException("connection reset"));
    exchange.end();
    List<SpanData> spans = t.spans.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.io.IOException");
  }

  @Test
  void heldEndHappensOnRelease() {
    LlmExchange exchange = t.startChat();
    exchange.holdEnd();
    exchange.fail(new EOFException());
    exchange.end();
    assertThat(t.spans.getFinishedSpanItems()).isEmpty();
    exchange.releaseEnd();
    exchange.releaseEnd();
    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.io.EOFException");

    LlmExchange notFinished = t.startChat();
    notFinished.holdEnd();
    notFinished.releaseEnd(); // body still streaming: nothing to end yet
    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    notFinished.end();
    assertThat(t.spans.getFinishedSpanItems()).hasSize(2);
  }

  @Test
  void nestedExchangeIsNotStartedWhileOneIsCurrent() {
    LlmExchange outer = t.startChat();
    try (Scope ignored = outer.makeCurrent()) {
      assertThat(t.startChat()).isNull();
    }
    outer.end();
  }

  @Test
  void callMadeFromAnEarlierCallsCallbackIsObservedAsASibling() {
    Span app = t.telemetry.tracer.spanBuilder("app").startSpan();
    try (Scope appScope = app.makeCurrent()) {
      LlmExchange first = t.startChat();
      try (Scope ignored = first.makeCurrent()) {
        assertThat(t.startChat()).isNull();
      }
      first.end();
      // sendAsync(..).thenCompose(r -> sendAsync(..)): the callback runs with the first call's
      // context current, after its client call returned.
      LlmExchange second;
      try (Scope ignored = first.context().makeCurrent()) {
        second = t.startChat();
      }
      assertThat(second).isNotNull();
      second.end();
    }
    app.end();
    List<SpanData> spans = t.spans.getFinishedSpanItems();
    assertThat(spans).hasSize(3);
    // both LLM spans are children of the app's span, in its trace
    String appId = app.getSpanContext().getSpanId();
    assertThat(spans.get(0).getParentSpanId()).isEqualTo(appId);
    assertThat(spans.get(1).getParentSpanId()).isEqualTo(appId);
    assertThat(spans.get(1).getTraceId()).isEqualTo(app.getSpanContext().getTraceId());
  }

  @Test
  void secretsInRequestHeadersAndUrlAreNotRecorded() {
    ServerUrl url =
        new ServerUrl(
            "http",
            "llm.test",
            8000,
            "/v1/chat/completions",
            "http://user:pw@llm.test:8000/v1/chat/completions?key=sk-secret");
    Map<String, String> requestHeaders = Map.of("authorization", "Bearer sk-secret");
    LlmExchange exchange = LlmExchange.start(t.telemetry, url, requestHeaders::get);
    exchange.end();
    SpanData span = t.spans.getFinishedSpanItems().get(0);
    span.getAttributes()
        .forEach((k, v) -> assertThat(String.valueOf(v)).doesNotContain("sk-secret", "pw@"));
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.full")))
        .contains("llm.test:8000/v1/chat/completions");
  }
}
