package io.llmobserve.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentCaptureTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private static LlmCall call(boolean capture, String reqFixture, String respFixture, String ct) {
    LlmCall call = new LlmCall(new LlmEndpoint("openai", "chat"), 0, capture);
    byte[] req = TestSupport.fixture(reqFixture);
    call.requestBody(req, 0, req.length);
    byte[] resp = TestSupport.fixture(respFixture);
    call.responseHeaders(200, TestSupport.headers("content-type", ct));
    TestSupport.feedResponse(call, resp, TestSupport.randomChunks(resp.length, 1, 9));
    call.responseEnd();
    return call;
  }

  @Test
  void offByDefault() {
    Map<String, Object> a =
        TestSupport.attributes(
            call(false, "openai-chat-request.json", "openai-chat.json", "application/json"));
    assertThat(a).doesNotContainKeys("gen_ai.input.messages", "gen_ai.output.messages");
  }

  @Test
  void inputAndOutputMessagesAreValidJsonAndRedacted() throws Exception {
    Map<String, Object> a =
        TestSupport.attributes(
            call(true, "openai-chat-request.json", "openai-chat.json", "application/json"));
    JsonNode in = MAPPER.readTree((String) a.get("gen_ai.input.messages"));
    assertThat(in).hasSize(3);
    assertThat(in.get(0).get("role").asText()).isEqualTo("system");
    assertThat(in.get(1).get("parts").get(0).get("content").asText())
        .startsWith("What is the capital of France?")
        .contains("[REDACTED]")
        .doesNotContain("sk-proj");
    assertThat(in.get(2).get("parts").get(0).get("content").asText()).isEqualTo("And of Italy?");
    JsonNode out = MAPPER.readTree((String) a.get("gen_ai.output.messages"));
    assertThat(out.get(0).get("role").asText()).isEqualTo("assistant");
    assertThat(out.get(0).get("parts").get(0).get("content").asText())
        .endsWith("\"quote\" \\ backslash é😀 done.");
    assertThat(out.get(0).get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void streamedDeltasAreJoinedOnce() throws Exception {
    Map<String, Object> a =
        TestSupport.attributes(
            call(
                true,
                "anthropic-request.json",
                "openai-responses-stream.sse",
                "text/event-stream"));
    JsonNode out = MAPPER.readTree((String) a.get("gen_ai.output.messages"));
    assertThat(out.get(0).get("parts").get(0).get("content").asText()).isEqualTo("Hi there!");
    JsonNode in = MAPPER.readTree((String) a.get("gen_ai.input.messages"));
    assertThat(in.get(0).get("role").asText()).isEqualTo("system");
    assertThat(in.get(1).get("parts").get(0).get("content").asText()).isEqualTo("Hello, Claude");
    Map<String, Object> anth =
        TestSupport.attributes(
            call(
                true,
                "anthropic-request.json",
                "anthropic-messages-stream.sse",
                "text/event-stream"));
    assertThat(
            MAPPER
                .readTree((String) anth.get("gen_ai.output.messages"))
                .get(0)
                .get("parts")
                .get(0)
                .get("content")
                .asText())
        .isEqualTo("Hello!");
    Map<String, Object> anthJson =
        TestSupport.attributes(
            call(true, "anthropic-request.json", "anthropic-messages.json", "application/json"));
    assertThat((String) anthJson.get("gen_ai.output.messages"))
        .contains("[REDACTED]")
        .doesNotContain("sk-ant-api03");
  }

  @Test
  void capturedTextIsBounded() throws Exception {
    LlmCall call = new LlmCall(new LlmEndpoint("openai", "chat"), 0, true);
    StringBuilder sb = new StringBuilder("{\"model\":\"m\",\"messages\":[");
    for (int i = 0; i < 200; i++) {
      sb.append(i > 0 ? "," : "")
          .append("{\"role\":\"user\",\"content\":\"")
          .append("word ".repeat(500))
          .append("\"}");
    }
    sb.append("]}");
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    call.requestBody(b, 0, b.length);
    String in = (String) TestSupport.attributes(call).get("gen_ai.input.messages");
    assertThat(in.length()).isLessThanOrEqualTo(8 * 1024 + 256);
    MAPPER.readTree(in); // still valid JSON
  }
}
