package io.llmobserve.providers;

import static io.llmobserve.providers.TestSupport.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseHeadersTest {
  private static Map<String, Object> read(LlmEndpoint ep, int status, HeaderReader h) {
    LlmCall call = new LlmCall(ep, 0, false);
    call.responseHeaders(status, h);
    call.responseEnd();
    return TestSupport.attributes(call);
  }

  static final LlmEndpoint OPENAI = new LlmEndpoint("openai", "chat");

  @Test
  void openAiThroughCloudflareServedByAzure() {
    Map<String, Object> a =
        read(
            OPENAI,
            200,
            headers(
                "x-request-id", "req_8f1e2d",
                "openai-processing-ms", "1234",
                "x-envoy-upstream-service-time", "1300",
                "cf-ray", "8f1e2d3c4b5a6978-SJC",
                "x-ms-region", "East US 2",
                "x-ratelimit-remaining-requests", "9999",
                "x-ratelimit-remaining-tokens", "149984",
                "x-ratelimit-limit-requests", "10000",
                "x-ratelimit-limit-tokens", "150000",
                "authorization", "Bearer sk-secret",
                "set-cookie", "__cf_bm=secret"));
    assertThat(a)
        .containsEntry("llm.hosting.provider", "azure")
        .containsEntry("llm.hosting.region", "East US 2")
        .containsEntry("llm.edge.pop", "SJC")
        .containsEntry("llm.request.id", "req_8f1e2d")
        .containsEntry("llm.server.processing_time", 1.234)
        .containsEntry("llm.ratelimit.remaining_requests", 9999L)
        .containsEntry("llm.ratelimit.remaining_tokens", 149984L)
        .containsEntry("llm.ratelimit.limit_requests", 10000L)
        .containsEntry("llm.ratelimit.limit_tokens", 150000L);
    assertThat(a.values().toString()).doesNotContain("secret");
  }

  @Test
  void cloudflareOnlyWhenNoStrongerSignal() {
    assertThat(read(OPENAI, 200, headers("cf-ray", "8f1e2d3c4b5a6978-AMS", "x-request-id", "r1")))
        .containsEntry("llm.hosting.provider", "cloudflare")
        .containsEntry("llm.edge.pop", "AMS")
        .doesNotContainKey("llm.hosting.region");
  }

  @Test
  void azureRequestIdPrefersApim() {
    Map<String, Object> a =
        read(
            new LlmEndpoint("azure.ai.openai", "chat"),
            429,
            headers(
                "apim-request-id",
                "apim-1",
                "x-request-id",
                "xr-1",
                "x-ms-region",
                "Sweden Central",
                "retry-after",
                "7"));
    assertThat(a)
        .containsEntry("llm.request.id", "apim-1")
        .containsEntry("llm.hosting.provider", "azure")
        .containsEntry("error.type", "429")
        .containsEntry("http.response.status_code", 429L);
    assertThat(a.toString()).doesNotContain("retry");
  }

  @Test
  void anthropicRateLimitsUseTheTotalTokenHeaders() {
    Map<String, Object> a =
        read(
            new LlmEndpoint("anthropic", "chat"),
            200,
            headers(
                "request-id", "req_011CSHoE",
                "anthropic-ratelimit-requests-remaining", "49",
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-tokens-remaining", "39000",
                "anthropic-ratelimit-tokens-limit", "40000",
                "anthropic-ratelimit-input-tokens-remaining", "1",
                "anthropic-ratelimit-output-tokens-remaining", "2",
                "cf-ray", "9a1b-LHR"));
    assertThat(a)
        .containsEntry("llm.request.id", "req_011CSHoE")
        .containsEntry("llm.ratelimit.remaining_tokens", 39000L)
        .containsEntry("llm.ratelimit.limit_tokens", 40000L)
        .containsEntry("llm.ratelimit.remaining_requests", 49L)
        .containsEntry("llm.ratelimit.limit_requests", 50L)
        .containsEntry("llm.hosting.provider", "cloudflare");
  }

  @Test
  void bedrockGoogleAndSelfHosted() {
    LlmEndpoint bedrock = new LlmEndpoint("aws.bedrock", "chat", "m", false, "us-west-2", false);
    assertThat(
            read(
                bedrock,
                200,
                headers(
                    "x-amzn-requestid",
                    "abc-123",
                    "x-amzn-bedrock-invocation-latency",
                    "812",
                    "x-envoy-upstream-service-time",
                    "900")))
        .containsEntry("llm.hosting.provider", "aws")
        .containsEntry("llm.hosting.region", "us-west-2")
        .containsEntry("llm.request.id", "abc-123")
        .containsEntry("llm.server.processing_time", 0.812);
    assertThat(
            read(
                new LlmEndpoint("gcp.gemini", "generate_content"),
                200,
                headers(
                    "server", "scaffolding on HTTPServer2", "server-timing", "gfet4t7; dur=1520")))
        .containsEntry("llm.hosting.provider", "gcp")
        .containsEntry("llm.server.processing_time", 1.52);
    assertThat(read(OPENAI, 200, headers("via", "1.1 google")))
        .containsEntry("llm.hosting.provider", "gcp");
    assertThat(
            read(
                new LlmEndpoint("ollama", "chat", null, false, null, true), 200, HeaderReader.NONE))
        .containsEntry("llm.hosting.provider", "self-hosted");
    assertThat(
            read(
                new LlmEndpoint("openai", "chat", null, false, null, true), 200, HeaderReader.NONE))
        .containsEntry("llm.hosting.provider", "self-hosted");
    assertThat(read(OPENAI, 200, headers("x-envoy-upstream-service-time", "42")))
        .containsEntry("llm.hosting.provider", "unknown")
        .containsEntry("llm.server.processing_time", 0.042);
  }

  @Test
  void malformedNumbersAreIgnored() {
    assertThat(
            read(
                OPENAI,
                200,
                headers(
                    "x-ratelimit-remaining-tokens",
                    "lots",
                    "openai-processing-ms",
                    "NaN",
                    "cf-ray",
                    "-")))
        .doesNotContainKeys(
            "llm.ratelimit.remaining_tokens", "llm.server.processing_time", "llm.edge.pop");
  }
}
