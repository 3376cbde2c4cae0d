package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.json;
import static io.llmobserve.simulator.TestHttp.post;
import static io.llmobserve.simulator.TestHttp.sse;
import static io.llmobserve.simulator.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResponsesAndEmbeddingsTest {
  static LlmSimulator sim;

  @BeforeAll
  static void start() {
    sim =
        LlmSimulator.builder()
            .seed(5)
            .profile(Profile.fast().toBuilder().cacheReadFraction(0))
            .start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void responsesJson() throws Exception {
    JsonNode r =
        json(
            post(
                sim,
                "/v1/responses",
                "{\"model\":\"gpt-4.1\",\"instructions\":\"Be terse.\",\"input\":\"Tell me about observability\","
                    + "\"max_output_tokens\":7}"));
    assertThat(r.get("id").asText()).startsWith("resp_");
    assertThat(r.get("object").asText()).isEqualTo("response");
    assertThat(r.get("status").asText()).isEqualTo("completed");
    assertThat(r.get("model").asText()).isEqualTo("gpt-4.1-2025-04-14");
    JsonNode item = r.get("output").get(0);
    assertThat(item.get("type").asText()).isEqualTo("message");
    assertThat(item.get("content").get(0).get("type").asText()).isEqualTo("output_text");
    assertThat(item.get("content").get(0).get("text").asText().split(" ")).hasSize(7);
    JsonNode u = r.get("usage");
    assertThat(u.get("input_tokens").asLong()).isEqualTo(9); // (9 + 27) / 4
    assertThat(u.get("output_tokens").asLong()).isEqualTo(7);
    assertThat(u.get("total_tokens").asLong()).isEqualTo(16);
    assertThat(u.get("input_tokens_details").get("cached_tokens").asLong()).isZero();
    assertThat(u.get("output_tokens_details").get("reasoning_tokens").asLong()).isZero();
  }

  @Test
  void responsesStream() throws Exception {
    List<TestHttp.Sse> events =
        sse(
            text(
                post(
                    sim,
                    "/v1/responses",
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":[{\"role\":\"user\",\"content\":\"Hello there\"}],"
                        + "\"max_output_tokens\":4}")));
    List<String> names = events.stream().map(TestHttp.Sse::event).toList();
    assertThat(names.get(0)).isEqualTo("response.created");
    assertThat(names.get(names.size() - 1)).isEqualTo("response.completed");
    assertThat(names.stream().filter("response.output_text.delta"::equals).count()).isEqualTo(4);
    assertThat(names)
        .containsSubsequence(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).json().get("sequence_number").asInt()).isEqualTo(i);
    }
    JsonNode created = events.get(0).json().get("response");
    assertThat(created.get("status").asText()).isEqualTo("in_progress");
    assertThat(created.get("usage").isNull()).isTrue();
    JsonNode done = events.get(events.size() - 1).json().get("response");
    assertThat(done.get("usage").get("output_tokens").asLong()).isEqualTo(4);
    assertThat(done.get("usage").get("input_tokens").asLong())
        .isEqualTo(2); // "Hello there" = 11 bytes
  }

  @Test
  void embeddingsFloatAndBase64() throws Exception {
    JsonNode r =
        json(
            post(
                sim,
                "/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"first text\",\"second text here\"]}"));
    assertThat(r.get("object").asText()).isEqualTo("list");
    assertThat(r.get("data")).hasSize(2);
    JsonNode v = r.get("data").get(1).get("embedding");
    assertThat(v).hasSize(1536);
    double norm = 0;
    for (JsonNode x : v) {
      norm += x.asDouble() * x.asDouble();
    }
    assertThat(norm).isBetween(0.99, 1.01);
    assertThat(r.get("usage").get("prompt_tokens").asLong()).isEqualTo(6); // 26 bytes / 4
    assertThat(r.get("usage").get("total_tokens").asLong()).isEqualTo(6);

    JsonNode b64 =
        json(
            post(
                sim,
                "/v1/embeddings",
                "{\"model\":\"text-embedding-3-large\",\"input\":\"x\",\"dimensions\":256,\"encoding_format\":\"base64\"}"));
    byte[] raw = Base64.getDecoder().decode(b64.get("data").get(0).get("embedding").asText());
    assertThat(raw).hasSize(256 * 4);
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    double n2 = 0;
    for (int i = 0; i < 256; i++) {
      float f = buf.getFloat();
      n2 += f * f;
    }
    assertThat(n2).isBetween(0.99, 1.01);
    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.operation()).isEqualTo("embeddings");
    assertThat(e.outputTokens()).isZero();
  }

  @Test
  void azureEmbeddings() throws Exception {
    var r =
        post(
            sim,
            "/openai/deployments/gpt-4o-eastus2/embeddings?api-version=2024-10-21",
            "{\"input\":\"hello world\",\"dimensions\":8}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("data").get(0).get("embedding")).hasSize(8);
    assertThat(r.headers().firstValue("x-ms-region")).hasValue("East US 2");
  }
}
