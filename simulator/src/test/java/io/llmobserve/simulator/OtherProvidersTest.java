package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.json;
import static io.llmobserve.simulator.TestHttp.post;
import static io.llmobserve.simulator.TestHttp.sse;
import static io.llmobserve.simulator.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ollama (NDJSON), Gemini (JSON, SSE, streamed JSON array) and Bedrock (JSON, AWS event-stream).
 */
class OtherProvidersTest {
  static final String CONVERSE_BODY =
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":"
          + "\"Say hello to the observability pipeline please\"}]}],\"system\":[{\"text\":\"You are terse.\"}],"
          + "\"inferenceConfig\":{\"maxTokens\":5}}";
  static final String GEMINI_BODY =
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
          + "\"Say hello to the observability pipeline please\"}]}],\"systemInstruction\":{\"parts\":[{\"text\":"
          + "\"You are terse.\"}]},\"generationConfig\":{\"maxOutputTokens\":5}}";
  static LlmSimulator sim;

  @BeforeAll
  static void start() {
    sim =
        LlmSimulator.builder()
            .seed(31)
            .profile(Profile.fast().toBuilder().cacheReadFraction(0.4).cacheCreationFraction(0.2))
            .start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void ollamaChatStreamsNdjsonByDefault() throws Exception {
    HttpResponse<byte[]> r =
        post(
            sim,
            "/api/chat",
            "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Say hello to the observability pipeline please\"}],\"options\":{\"num_predict\":4}}");
    assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
    String[] lines = text(r).split("\n");
    assertThat(lines).hasSize(5);
    JsonNode last = TestHttp.JSON.readTree(lines[4]);
    assertThat(last.get("done").asBoolean()).isTrue();
    assertThat(last.get("done_reason").asText()).isEqualTo("stop");
    assertThat(last.get("prompt_eval_count").asLong()).isEqualTo(11); // 46 bytes / 4
    assertThat(last.get("eval_count").asLong()).isEqualTo(4);
    assertThat(TestHttp.JSON.readTree(lines[0]).get("message").get("content").asText())
        .isNotEmpty();
    assertThat(TestHttp.JSON.readTree(lines[0]).get("model").asText()).isEqualTo("llama3.2");
    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.provider()).isEqualTo("ollama");
    assertThat(e.cacheReadTokens()).isZero();

    JsonNode gen =
        json(
            post(
                sim,
                "/api/generate",
                "{\"model\":\"llama3.2\",\"prompt\":\"hi there\",\"stream\":false}"));
    assertThat(gen.get("done").asBoolean()).isTrue();
    assertThat(gen.get("response").asText().split(" ")).hasSize(16);
  }

  @Test
  void geminiGenerateContent() throws Exception {
    HttpResponse<byte[]> r =
        post(
            sim,
            "/v1beta/models/gemini-2.0-flash:generateContent",
            GEMINI_BODY,
            "x-goog-api-key",
            "k");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    JsonNode cand = body.get("candidates").get(0);
    assertThat(cand.get("finishReason").asText()).isEqualTo("STOP");
    assertThat(cand.get("content").get("parts").get(0).get("text").asText().split(" ")).hasSize(5);
    JsonNode u = body.get("usageMetadata");
    assertThat(u.get("promptTokenCount").asLong()).isEqualTo(15);
    assertThat(u.get("candidatesTokenCount").asLong()).isEqualTo(5);
    assertThat(u.get("totalTokenCount").asLong()).isEqualTo(20);
    assertThat(u.get("cachedContentTokenCount").asLong()).isEqualTo(6);
    assertThat(body.get("modelVersion").asText()).isEqualTo("gemini-2.0-flash");
    assertThat(r.headers().firstValue("server-timing").orElseThrow()).startsWith("gfet4t7; dur=");
  }

  @Test
  void geminiThinkingModelsReportThoughts() throws Exception {
    JsonNode u =
        json(post(
                sim,
                "/v1beta/models/gemini-2.5-flash:generateContent",
                GEMINI_BODY.replace("\"maxOutputTokens\":5", "\"maxOutputTokens\":10")))
            .get("usageMetadata");
    assertThat(u.get("thoughtsTokenCount").asLong()).isEqualTo(5);
    assertThat(u.get("candidatesTokenCount").asLong()).isEqualTo(5);
    assertThat(u.get("totalTokenCount").asLong()).isEqualTo(25);
  }

  @Test
  void geminiStreamsAsSseOrJsonArray() throws Exception {
    HttpResponse<byte[]> r =
        post(sim, "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", GEMINI_BODY);
    assertThat(r.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/event-stream");
    List<TestHttp.Sse> events = sse(text(r).replace("\r\n", "\n"));
    assertThat(events).hasSize(5);
    JsonNode last = events.get(4).json();
    assertThat(last.get("candidates").get(0).get("finishReason").asText()).isEqualTo("STOP");
    assertThat(last.get("usageMetadata").get("candidatesTokenCount").asLong()).isEqualTo(5);
    assertThat(sim.lastExchange().orElseThrow().stream()).isTrue();

    HttpResponse<byte[]> arr =
        post(sim, "/v1beta/models/gemini-2.0-flash:streamGenerateContent", GEMINI_BODY);
    JsonNode array = json(arr);
    assertThat(array.isArray()).isTrue();
    assertThat(array).hasSize(5);
    assertThat(array.get(4).get("usageMetadata").get("totalTokenCount").asLong()).isEqualTo(20);
  }

  @Test
  void bedrockConverseJson() throws Exception {
    HttpResponse<byte[]> r =
        post(sim, "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", CONVERSE_BODY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-amzn-requestid")).isPresent();
    JsonNode body = json(r);
    assertThat(body.get("stopReason").asText()).isEqualTo("end_turn");
    assertThat(
            body.get("output").get("message").get("content").get(0).get("text").asText().split(" "))
        .hasSize(5);
    JsonNode u = body.get("usage");
    assertThat(u.get("inputTokens").asLong()).isEqualTo(6); // 15 - 6 cache reads - 3 cache writes
    assertThat(u.get("cacheReadInputTokens").asLong()).isEqualTo(6);
    assertThat(u.get("cacheWriteInputTokens").asLong()).isEqualTo(3);
    assertThat(u.get("totalTokens").asLong()).isEqualTo(20);
    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.requestModel()).isEqualTo("us.anthropic.claude-3-5-sonnet-20240620-v1:0");
    assertThat(e.requestId()).isEqualTo(r.headers().firstValue("x-amzn-requestid").orElseThrow());
  }

  @Test
  void bedrockConverseStreamIsValidEventStream() throws Exception {
    HttpResponse<byte[]> r =
        post(sim, "/model/amazon.nova-lite-v1:0/converse-stream", CONVERSE_BODY);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("application/vnd.amazon.eventstream");
    List<Map.Entry<String, JsonNode>> events = decode(r.body());
    List<String> types = events.stream().map(Map.Entry::getKey).toList();
    assertThat(types)
        .containsExactly(
            "messageStart",
            "contentBlockDelta",
            "contentBlockDelta",
            "contentBlockDelta",
            "contentBlockDelta",
            "contentBlockDelta",
            "contentBlockStop",
            "messageStop",
            "metadata");
    assertThat(events.get(7).getValue().get("stopReason").asText()).isEqualTo("end_turn");
    assertThat(events.get(8).getValue().get("usage").get("outputTokens").asLong()).isEqualTo(5);
  }

  @Test
  void bedrockInvokeAnthropicJsonAndStream() throws Exception {
    String body =
        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Say hello to the observability pipeline please\"}]}";
    HttpResponse<byte[]> r =
        post(sim, "/model/anthropic.claude-3-5-haiku-20241022-v1:0/invoke", body);
    JsonNode msg = json(r);
    assertThat(msg.get("model").asText()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(msg.get("usage").get("output_tokens").asLong()).isEqualTo(4);
    assertThat(r.headers().firstValue("x-amzn-bedrock-output-token-count")).hasValue("4");
    assertThat(r.headers().firstValue("x-amzn-bedrock-input-token-count"))
        .hasValue("5"); // 11 - 4 - 2
    assertThat(r.headers().firstValue("x-amzn-bedrock-invocation-latency").orElseThrow())
        .matches("\\d+");

    HttpResponse<byte[]> s =
        post(
            sim,
            "/model/anthropic.claude-3-5-haiku-20241022-v1:0/invoke-with-response-stream",
            body);
    List<String> inner = new ArrayList<>();
    JsonNode stop = null;
    for (Map.Entry<String, JsonNode> e : decode(s.body())) {
      assertThat(e.getKey()).isEqualTo("chunk");
      JsonNode event =
          TestHttp.JSON.readTree(Base64.getDecoder().decode(e.getValue().get("bytes").asText()));
      inner.add(event.get("type").asText());
      if (event.get("type").asText().equals("message_stop")) {
        stop = event;
      }
    }
    assertThat(inner).startsWith("message_start").endsWith("message_delta", "message_stop");
    assertThat(stop.get("amazon-bedrock-invocationMetrics").get("outputTokenCount").asLong())
        .isEqualTo(4);
  }

  @Test
  void errorShapes() throws Exception {
    sim.injectIncident(Incident.throttlingStorm(1).provider("aws.bedrock"));
    sim.injectIncident(Incident.throttlingStorm(1).provider("gcp.gemini"));
    try {
      HttpResponse<byte[]> b = post(sim, "/model/amazon.nova-lite-v1:0/converse", CONVERSE_BODY);
      assertThat(b.statusCode()).isEqualTo(429);
      assertThat(b.headers().firstValue("x-amzn-errortype").orElseThrow())
          .startsWith("ThrottlingException:");
      assertThat(json(b).get("message").asText()).contains("Too many requests");
      HttpResponse<byte[]> g =
          post(sim, "/v1beta/models/gemini-2.0-flash:generateContent", GEMINI_BODY);
      assertThat(g.statusCode()).isEqualTo(429);
      assertThat(json(g).get("error").get("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(json(g).get("error").get("code").asInt()).isEqualTo(429);
    } finally {
      sim.clearIncidents();
    }
    HttpResponse<byte[]> bad = post(sim, "/v1beta/models/gemini-2.0-flash:generateContent", "{}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").get("status").asText()).isEqualTo("INVALID_ARGUMENT");
  }

  /** Decodes AWS event-stream messages, checking both CRCs. */
  static List<Map.Entry<String, JsonNode>> decode(byte[] bytes) throws Exception {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.remaining() > 0) {
      int start = buf.position();
      int total = buf.getInt();
      int headersLen = buf.getInt();
      int preludeCrc = buf.getInt();
      assertThat(preludeCrc).isEqualTo(crc(bytes, start, 8));
      Map<String, String> headers = new LinkedHashMap<>();
      int headersEnd = buf.position() + headersLen;
      while (buf.position() < headersEnd) {
        byte[] name = new byte[buf.get() & 0xff];
        buf.get(name);
        assertThat(buf.get()).isEqualTo((byte) 7);
        byte[] value = new byte[buf.getShort() & 0xffff];
        buf.get(value);
        headers.put(
            new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
      }
      byte[] payload = new byte[total - 12 - headersLen - 4];
      buf.get(payload);
      int messageCrc = buf.getInt();
      assertThat(messageCrc).isEqualTo(crc(bytes, start, total - 4));
      assertThat(headers)
          .containsEntry(":message-type", "event")
          .containsEntry(":content-type", "application/json");
      out.add(Map.entry(headers.get(":event-type"), TestHttp.JSON.readTree(payload)));
    }
    return out;
  }

  private static int crc(byte[] b, int off, int len) {
    CRC32 c = new CRC32();
    c.update(b, off, len);
    return (int) c.getValue();
  }
}
