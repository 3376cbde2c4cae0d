package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.anthropic;
import static io.llmobserve.simulator.TestHttp.json;
import static io.llmobserve.simulator.TestHttp.post;
import static io.llmobserve.simulator.TestHttp.sse;
import static io.llmobserve.simulator.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnthropicMessagesTest {
  static LlmSimulator sim;

  @BeforeAll
  static void start() {
    // 15 prompt tokens: 40% (6) cache reads, 20% (3) cache writes, 6 uncached.
    sim =
        LlmSimulator.builder()
            .seed(3)
            .profile(Profile.fast().toBuilder().cacheReadFraction(0.4).cacheCreationFraction(0.2))
            .start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void jsonMessageWithCacheUsageAndHeaders() throws Exception {
    HttpResponse<byte[]> r =
        post(
            sim,
            "/v1/messages",
            anthropic("claude-sonnet-4-5", false, 9),
            "x-api-key",
            "k",
            "anthropic-version",
            "2023-06-01");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("id").asText()).startsWith("msg_01");
    assertThat(body.get("type").asText()).isEqualTo("message");
    assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(body.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.get("content").get(0).get("text").asText().split(" ")).hasSize(9);
    JsonNode u = body.get("usage");
    assertThat(u.get("input_tokens").asLong()).isEqualTo(6);
    assertThat(u.get("cache_read_input_tokens").asLong()).isEqualTo(6);
    assertThat(u.get("cache_creation_input_tokens").asLong()).isEqualTo(3);
    assertThat(u.get("output_tokens").asLong()).isEqualTo(9);
    var h = r.headers();
    assertThat(h.firstValue("request-id").orElseThrow()).startsWith("req_011C");
    assertThat(h.firstValue("anthropic-organization-id")).isPresent();
    assertThat(h.firstValue("cf-ray").orElseThrow()).endsWith("-LAX");
    for (String kind : List.of("requests", "tokens", "input-tokens", "output-tokens")) {
      assertThat(h.firstValue("anthropic-ratelimit-" + kind + "-limit")).isPresent();
      assertThat(h.firstValue("anthropic-ratelimit-" + kind + "-remaining")).isPresent();
      assertThat(h.firstValue("anthropic-ratelimit-" + kind + "-reset").orElseThrow())
          .endsWith("Z");
    }
    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.inputTokens()).isEqualTo(15); // all input tokens, cached included
    assertThat(e.cacheReadTokens()).isEqualTo(6);
    assertThat(e.cacheCreationTokens()).isEqualTo(3);
    assertThat(e.pop()).isEqualTo("LAX");
  }

  @Test
  void streamFollowsAnthropicEventSequence() throws Exception {
    HttpResponse<byte[]> r =
        post(sim, "/v1/messages", anthropic("claude-3-5-haiku-latest", true, 5));
    List<TestHttp.Sse> events = sse(text(r));
    List<String> names = events.stream().map(TestHttp.Sse::event).toList();
    assertThat(names.get(0)).isEqualTo("message_start");
    assertThat(names)
        .containsSubsequence(
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(names.stream().filter("content_block_delta"::equals).count()).isEqualTo(5);
    JsonNode start = events.get(0).json().get("message");
    assertThat(start.get("model").asText()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(start.get("usage").get("cache_read_input_tokens").asLong()).isEqualTo(6);
    JsonNode delta =
        events.stream()
            .filter(e -> "message_delta".equals(e.event()))
            .findFirst()
            .orElseThrow()
            .json();
    assertThat(delta.get("delta").get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(delta.get("usage").get("output_tokens").asLong()).isEqualTo(5);
    for (TestHttp.Sse e : events) {
      assertThat(e.json().get("type").asText())
          .isEqualTo(e.event()); // event name mirrors data.type
    }
  }

  @Test
  void missingMaxTokensIsAnAnthropicInvalidRequest() throws Exception {
    HttpResponse<byte[]> r =
        post(
            sim,
            "/v1/messages",
            "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = json(r);
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.get("error").get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.get("error").get("message").asText()).contains("max_tokens");
    assertThat(body.get("request_id").asText())
        .isEqualTo(r.headers().firstValue("request-id").orElseThrow());
  }
}
