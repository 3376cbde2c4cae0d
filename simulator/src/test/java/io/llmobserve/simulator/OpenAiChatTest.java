package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.chat;
import static io.llmobserve.simulator.TestHttp.json;
import static io.llmobserve.simulator.TestHttp.post;
import static io.llmobserve.simulator.TestHttp.sse;
import static io.llmobserve.simulator.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiChatTest {
  static LlmSimulator sim;

  @BeforeAll
  static void start() {
    sim =
        LlmSimulator.builder()
            .seed(7)
            .profile(Profile.fast().toBuilder().cacheReadFraction(0.5))
            .start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void jsonCompletionHasOpenAiShapeUsageAndHeaders() throws Exception {
    HttpResponse<byte[]> r = post(sim, "/v1/chat/completions", chat("gpt-4o", false, 12));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("id").asText()).startsWith("chatcmpl-");
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(body.get("system_fingerprint").asText()).startsWith("fp_");
    assertThat(body.get("service_tier").asText()).isEqualTo("default");
    JsonNode choice = body.get("choices").get(0);
    assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
    String content = choice.get("message").get("content").asText();
    assertThat(content.split(" ")).hasSize(12); // one word per token
    JsonNode usage = body.get("usage");
    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(15); // (14 + 46 bytes) / 4
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(12);
    assertThat(usage.get("total_tokens").asLong()).isEqualTo(27);
    assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asLong()).isEqualTo(7);
    assertThat(usage.get("completion_tokens_details").get("reasoning_tokens").asLong()).isZero();

    var h = r.headers();
    assertThat(h.firstValue("x-request-id").orElseThrow()).matches("req_[0-9a-f]{32}");
    assertThat(h.firstValue("openai-processing-ms").orElseThrow()).matches("\\d+");
    assertThat(h.firstValue("openai-version")).hasValue("2020-10-01");
    assertThat(h.firstValue("server")).hasValue("cloudflare");
    assertThat(h.firstValue("cf-ray").orElseThrow()).matches("[0-9a-f]{16}-SJC");
    assertThat(h.firstValue("x-ratelimit-limit-requests")).hasValue("10000");
    assertThat(h.firstValue("x-ratelimit-limit-tokens")).hasValue("2000000");
    assertThat(Long.parseLong(h.firstValue("x-ratelimit-remaining-tokens").orElseThrow()))
        .isLessThan(2_000_000);
    assertThat(h.firstValue("x-ratelimit-reset-requests").orElseThrow())
        .matches("[0-9.]+m?s|\\d+m\\d+s");
    assertThat(h.firstValue("x-ratelimit-reset-tokens")).isPresent();
    assertThat(h.firstValue("x-ms-region")).isEmpty();
    assertThat(h.firstValue("content-type").orElseThrow()).startsWith("application/json");
  }

  @Test
  void streamSendsChunksThenUsageThenDone() throws Exception {
    HttpResponse<byte[]> r = post(sim, "/v1/chat/completions", chat("gpt-4o-mini", true, 6));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/event-stream");
    List<TestHttp.Sse> events = sse(text(r));
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    JsonNode first = events.get(0).json();
    assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(first.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(first.get("choices").get(0).get("delta").get("role").asText())
        .isEqualTo("assistant");
    StringBuilder content = new StringBuilder();
    String finish = null;
    JsonNode usage = null;
    for (TestHttp.Sse e : events.subList(0, events.size() - 1)) {
      JsonNode c = e.json();
      assertThat(c.get("id").asText()).isEqualTo(first.get("id").asText());
      if (c.get("choices").isEmpty()) {
        usage = c.get("usage");
        continue;
      }
      JsonNode choice = c.get("choices").get(0);
      content.append(choice.get("delta").path("content").asText(""));
      if (!choice.get("finish_reason").isNull()) {
        finish = choice.get("finish_reason").asText();
      }
    }
    assertThat(finish).isEqualTo("stop");
    assertThat(content.toString().split(" ")).hasSize(6);
    assertThat(usage).isNotNull();
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(6);
    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(15);
    assertThat(events.get(events.size() - 2).json().get("choices")).isEmpty();
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
    String body = chat("gpt-4o", true, 3).replace("{\"include_usage\":true}", "null");
    List<TestHttp.Sse> events = sse(text(post(sim, "/v1/chat/completions", body)));
    for (TestHttp.Sse e : events.subList(0, events.size() - 1)) {
      assertThat(e.json().get("choices")).isNotEmpty();
      assertThat(e.json().has("usage")).isFalse();
    }
  }

  @Test
  void reasoningModelsReportReasoningTokensInsideCompletionTokens() throws Exception {
    JsonNode body =
        json(
            post(
                sim,
                "/v1/chat/completions",
                chat("o4-mini", false, 10).replace("\"max_tokens\"", "\"max_completion_tokens\"")));
    JsonNode usage = body.get("usage");
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(10);
    assertThat(usage.get("completion_tokens_details").get("reasoning_tokens").asLong())
        .isEqualTo(5);
    assertThat(body.get("choices").get(0).get("message").get("content").asText().split(" "))
        .hasSize(5);
    assertThat(body.get("model").asText()).isEqualTo("o4-mini-2025-04-16");
  }

  @Test
  void defaultOutputTokensWhenNoMaxTokens() throws Exception {
    JsonNode body =
        json(
            post(
                sim,
                "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertThat(body.get("usage").get("completion_tokens").asLong()).isEqualTo(16); // Profile.fast()
    assertThat(body.get("usage").get("prompt_tokens").asLong()).isEqualTo(1); // min 1
  }

  @Test
  void servesHttp2ViaH2cUpgrade() throws Exception {
    // Jetty upgrades bodiless requests only (a body is answered over HTTP/1.1, which RFC 7540
    // allows), so the
    // JDK client's upgrade happens on a GET; later POSTs then share the HTTP/2 connection.
    HttpResponse<String> upgraded =
        TestHttp.H2.send(
            HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sim/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
    HttpResponse<byte[]> r =
        post(TestHttp.H2, sim, "/v1/chat/completions", chat("gpt-4o", true, 4));
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sse(text(r))).last().extracting(TestHttp.Sse::data).isEqualTo("[DONE]");
    // A second request reuses the upgraded connection.
    HttpResponse<byte[]> again =
        post(TestHttp.H2, sim, "/v1/chat/completions", chat("gpt-4o", false, 4));
    assertThat(again.version()).isEqualTo(HttpClient.Version.HTTP_2);
    Exchange last = sim.lastExchange().orElseThrow();
    assertThat(last.httpVersion()).isEqualTo("HTTP/2.0");
  }

  @Test
  void badRequestsGetOpenAiErrorShape() throws Exception {
    HttpResponse<byte[]> r = post(sim, "/v1/chat/completions", "{\"model\":\"gpt-4o\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = json(r).get("error");
    assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(err.get("param").asText()).isEqualTo("messages");
    assertThat(err.has("code")).isTrue();
    assertThat(r.headers().firstValue("x-request-id")).isPresent();

    HttpResponse<byte[]> notJson = post(sim, "/v1/chat/completions", "not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson).get("error").get("message").asText()).contains("parse the JSON body");

    HttpResponse<byte[]> unknown = post(sim, "/v1/nothing", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").get("type").asText()).isEqualTo("invalid_request_error");
  }
}
