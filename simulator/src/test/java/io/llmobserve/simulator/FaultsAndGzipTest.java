package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.anthropic;
import static io.llmobserve.simulator.TestHttp.chat;
import static io.llmobserve.simulator.TestHttp.json;
import static io.llmobserve.simulator.TestHttp.post;
import static io.llmobserve.simulator.TestHttp.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FaultsAndGzipTest {

  @Test
  void throttlingGivesProviderShaped429s() throws Exception {
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .seed(1)
            .profile(Profile.fast().toBuilder().throttleRate(1.0).retryAfterSeconds(7))
            .start()) {
      HttpResponse<byte[]> openai = post(sim, "/v1/chat/completions", chat("gpt-4o", true, 5));
      assertThat(openai.statusCode()).isEqualTo(429);
      assertThat(openai.headers().firstValue("retry-after")).hasValue("7");
      assertThat(openai.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
      assertThat(openai.headers().firstValue("x-ratelimit-remaining-tokens")).hasValue("0");
      assertThat(openai.headers().firstValue("content-type").orElseThrow())
          .startsWith("application/json");
      JsonNode err = json(openai).get("error");
      assertThat(err.get("code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(err.get("type").asText()).isEqualTo("tokens");
      assertThat(err.has("param")).isTrue();
      assertThat(err.get("message").asText()).contains("Rate limit reached for gpt-4o");

      HttpResponse<byte[]> azure =
          post(
              sim,
              "/openai/deployments/gpt-4o-eastus2/chat/completions?api-version=x",
              chat("gpt-4o", false, 5));
      assertThat(azure.statusCode()).isEqualTo(429);
      assertThat(azure.headers().firstValue("retry-after-ms")).hasValue("7000");
      assertThat(azure.headers().firstValue("x-ms-region")).hasValue("East US 2");
      assertThat(json(azure).get("error").get("code").asText()).isEqualTo("429");

      HttpResponse<byte[]> claude =
          post(sim, "/v1/messages", anthropic("claude-sonnet-4-5", false, 5));
      assertThat(claude.statusCode()).isEqualTo(429);
      assertThat(claude.headers().firstValue("anthropic-ratelimit-tokens-remaining")).hasValue("0");
      assertThat(json(claude).get("error").get("type").asText()).isEqualTo("rate_limit_error");

      Exchange e = sim.lastExchange().orElseThrow();
      assertThat(e.status()).isEqualTo(429);
      assertThat(e.errorType()).isEqualTo("rate_limit_error");
      assertThat(e.outputTokens()).isZero();
      assertThat(e.responseModel()).isNull();
    }
  }

  @Test
  void serverErrors() throws Exception {
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .seed(1)
            .profile(Profile.fast().toBuilder().errorRate(1.0).errorStatus(503))
            .start()) {
      HttpResponse<byte[]> r = post(sim, "/v1/chat/completions", chat("gpt-4o", false, 5));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(json(r).get("error").get("type").asText()).isEqualTo("server_error");
      assertThat(r.headers().firstValue("retry-after")).isPresent();
      sim.updateProfile(p -> p.errorStatus(500));
      HttpResponse<byte[]> r500 =
          post(sim, "/v1/messages", anthropic("claude-sonnet-4-5", false, 5));
      assertThat(r500.statusCode()).isEqualTo(500);
      assertThat(json(r500).get("error").get("type").asText()).isEqualTo("api_error");
      sim.updateProfile(p -> p.errorStatus(529));
      HttpResponse<byte[]> r529 =
          post(sim, "/v1/messages", anthropic("claude-sonnet-4-5", false, 5));
      assertThat(r529.statusCode()).isEqualTo(529);
      assertThat(json(r529).get("error").get("type").asText()).isEqualTo("overloaded_error");
    }
  }

  @Test
  void errorAndThrottleRatesAreRoughlyHonoured() throws Exception {
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .seed(99)
            .profile(Profile.fast().toBuilder().latencyMs(0).throttleRate(0.3).errorRate(0.2))
            .start()) {
      int throttled = 0;
      int errors = 0;
      for (int i = 0; i < 200; i++) {
        int s = post(sim, "/v1/chat/completions", chat("gpt-4o", false, 1)).statusCode();
        throttled += s == 429 ? 1 : 0;
        errors += s == 500 ? 1 : 0;
      }
      assertThat(throttled).isBetween(35, 85); // 30% of 200
      assertThat(errors).isBetween(10, 50); // 20% of the remaining 70%
    }
  }

  @Test
  void enforcedRateLimitsRunOut() throws Exception {
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .seed(1)
            .profile(Profile.fast().toBuilder().requestsLimit(3).enforceRateLimits(true))
            .start()) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<byte[]> ok = post(sim, "/v1/chat/completions", chat("gpt-4o", false, 1));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("x-ratelimit-remaining-requests"))
            .hasValue(String.valueOf(2 - i));
      }
      assertThat(post(sim, "/v1/chat/completions", chat("gpt-4o", false, 1)).statusCode())
          .isEqualTo(429);
    }
  }

  @Test
  void gzipWhenAcceptedAndEnabled() throws Exception {
    try (LlmSimulator sim = LlmSimulator.builder().seed(1).profile(Profile.fast()).start()) {
      HttpResponse<byte[]> plain = post(sim, "/v1/chat/completions", chat("gpt-4o", false, 30));
      assertThat(plain.headers().firstValue("content-encoding")).isEmpty();

      HttpResponse<byte[]> gz =
          post(
              sim,
              "/v1/chat/completions",
              chat("gpt-4o", false, 30),
              "accept-encoding",
              "gzip, deflate");
      assertThat(gz.headers().firstValue("content-encoding")).hasValue("gzip");
      byte[] decoded = TestHttp.gunzip(gz.body());
      assertThat(TestHttp.JSON.readTree(decoded).get("usage").get("completion_tokens").asInt())
          .isEqualTo(30);
      Exchange e = sim.lastExchange().orElseThrow();
      assertThat(e.gzip()).isTrue();
      assertThat(e.wireBodySha256()).isEqualTo(TestHttp.sha256(gz.body()));
      assertThat(e.responseBodySha256()).isEqualTo(TestHttp.sha256(decoded));
      assertThat(e.wireBodyBytes()).isEqualTo(gz.body().length);
      assertThat(gz.headers().firstValue("content-length"))
          .hasValue(String.valueOf(gz.body().length));

      // Streams stay uncompressed unless gzipStreams is on.
      HttpResponse<byte[]> stream =
          post(sim, "/v1/chat/completions", chat("gpt-4o", true, 5), "accept-encoding", "gzip");
      assertThat(stream.headers().firstValue("content-encoding")).isEmpty();
      sim.updateProfile(p -> p.gzipStreams(true));
      HttpResponse<byte[]> gzStream =
          post(sim, "/v1/chat/completions", chat("gpt-4o", true, 5), "accept-encoding", "gzip");
      assertThat(gzStream.headers().firstValue("content-encoding")).hasValue("gzip");
      String events = new String(TestHttp.gunzip(gzStream.body()), StandardCharsets.UTF_8);
      assertThat(sse(events)).last().extracting(TestHttp.Sse::data).isEqualTo("[DONE]");

      sim.updateProfile(p -> p.gzip(false));
      assertThat(
              post(sim, "/v1/chat/completions", chat("gpt-4o", false, 3), "accept-encoding", "gzip")
                  .headers()
                  .firstValue("content-encoding"))
          .isEmpty();
    }
  }
}
