package io.llmobserve.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialHeaderMaskingExporterTest {
  static final AttributeKey<List<String>> AUTH =
      AttributeKey.stringArrayKey("http.request.header.authorization");
  static final AttributeKey<List<String>> X_API_KEY =
      AttributeKey.stringArrayKey("http.request.header.x-api-key");
  static final AttributeKey<List<String>> SET_COOKIE =
      AttributeKey.stringArrayKey("http.response.header.set-cookie");
  static final AttributeKey<List<String>> REQUEST_ID =
      AttributeKey.stringArrayKey("http.response.header.x-request-id");
  static final AttributeKey<List<String>> RATELIMIT =
      AttributeKey.stringArrayKey("http.response.header.x-ratelimit-remaining-tokens");

  @Test
  void credentialHeaderValuesAreMaskedOnEverySpanOthersPassUntouched() {
    InMemorySpanExporter sink = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(
                        SimpleSpanProcessor.create(new CredentialHeaderMaskingExporter(sink)))
                    .build())
            .build()) {
      sdk.getTracer("io.opentelemetry.java-http-client")
          .spanBuilder("POST")
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(AUTH, List.of("Bearer sk-SECRET"))
          .setAttribute(X_API_KEY, List.of("k1-SECRET", "k2-SECRET"))
          .setAttribute(SET_COOKIE, List.of("session=SECRET"))
          .setAttribute(REQUEST_ID, List.of("req-1"))
          .setAttribute(RATELIMIT, List.of("9000"))
          .setAttribute("http.request.method", "POST")
          .startSpan()
          .end();
      sdk.getTracer("app")
          .spanBuilder("plain")
          .setAttribute("http.request.method", "GET")
          .startSpan()
          .end();
      spans = sink.getFinishedSpanItems();
    }
    SpanData http = spans.get(0);
    assertThat(http.getAttributes().get(AUTH)).containsExactly("REDACTED");
    assertThat(http.getAttributes().get(X_API_KEY)).containsExactly("REDACTED", "REDACTED");
    assertThat(http.getAttributes().get(SET_COOKIE)).containsExactly("REDACTED");
    assertThat(http.getAttributes().get(REQUEST_ID)).containsExactly("req-1");
    assertThat(http.getAttributes().get(RATELIMIT)).containsExactly("9000");
    assertThat(http.getAttributes().get(AttributeKey.stringKey("http.request.method")))
        .isEqualTo("POST");
    assertThat(http.getAttributes().toString()).doesNotContain("SECRET");
    assertThat(spans.get(1)).isNotInstanceOf(CredentialHeaderMaskingExporter.MaskedSpanData.class);
  }

  @Test
  void recognisesCredentialHeaderNames() {
    for (String n :
        List.of(
            "authorization",
            "Proxy-Authorization",
            "cookie",
            "set-cookie",
            "api-key",
            "x-api-key",
            "x-goog-api-key",
            "ocp-apim-subscription-key",
            "x-amz-security-token",
            "anthropic-api-key",
            "x-session-id",
            "x-client-secret",
            "x-refresh-token")) {
      assertThat(CredentialHeaderMaskingExporter.isCredentialHeader(n)).as(n).isTrue();
    }
    for (String n :
        List.of(
            "content-type",
            "x-request-id",
            "x-ratelimit-remaining-tokens",
            "x-ratelimit-limit-tokens",
            "openai-processing-ms",
            "user-agent")) {
      assertThat(CredentialHeaderMaskingExporter.isCredentialHeader(n)).as(n).isFalse();
    }
  }
}
