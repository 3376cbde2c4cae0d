package io.llmobserve.providers;

import static io.llmobserve.providers.TestSupport.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.providers.usage.UsageText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
  static final LlmEndpoint OPENAI = new LlmEndpoint("openai", "chat");

  private static Map<String, Object> request(LlmEndpoint ep, byte[] body, int splitAt) {
    LlmCall call = new LlmCall(ep, System.nanoTime(), false);
    call.requestBody(body, 0, splitAt);
    call.requestBody(body, splitAt, body.length - splitAt);
    return TestSupport.attributes(call);
  }

  @Test
  void openAiRequestFieldsInEverySplit() {
    byte[] body = fixture("openai-chat-request.json");
    Map<String, Object> expected = request(OPENAI, body, body.length);
    assertThat(expected)
        .containsEntry("gen_ai.request.model", "gpt-4o-mini")
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.request.max_tokens", 512L)
        .containsEntry("gen_ai.request.temperature", 0.2)
        .doesNotContainKey("gen_ai.input.messages");
    for (int at = 0; at <= body.length; at++) {
      assertThat(request(OPENAI, body, at)).as("split %d", at).isEqualTo(expected);
    }
  }

  @Test
  void anthropicRequestAndSpanName() {
    byte[] body = fixture("anthropic-request.json");
    LlmCall call = new LlmCall(new LlmEndpoint("anthropic", "chat"), 0, false);
    call.requestBody(ByteBuffer.wrap(body));
    assertThat(call.requestModel()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(call.spanName()).isEqualTo("chat claude-sonnet-4-20250514");
    assertThat(call.stream()).isFalse();
    assertThat(TestSupport.attributes(call))
        .containsEntry("gen_ai.request.max_tokens", 1024L)
        .containsEntry("gen_ai.request.temperature", 1.0);
  }

  @Test
  void directByteBufferIsReadWithoutMovingItsPosition() {
    byte[] body = fixture("openai-chat-request.json");
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length + 10);
    direct.position(10);
    direct.put(body);
    direct.position(10);
    LlmCall call = new LlmCall(OPENAI, 0, false);
    call.requestBody(direct);
    assertThat(direct.position()).isEqualTo(10);
    assertThat(call.requestModel()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void pathModelIsUsedWhenTheBodyNamesNone() {
    LlmCall call =
        new LlmCall(
            new LlmEndpoint("azure.ai.openai", "chat", "my-deployment", false, null, false),
            0,
            false);
    byte[] body = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    call.requestBody(body, 0, body.length);
    assertThat(call.spanName()).isEqualTo("chat my-deployment");
    assertThat(new LlmCall(OPENAI, 0, false).spanName()).isEqualTo("chat");
  }

  @Test
  void geminiAndBedrockAndOllamaNestedSettings() {
    LlmCall g = new LlmCall(new LlmEndpoint("gcp.gemini", "generate_content"), 0, false);
    byte[] gb =
        "{\"contents\":[],\"generationConfig\":{\"temperature\":0.7,\"maxOutputTokens\":256}}"
            .getBytes(StandardCharsets.UTF_8);
    g.requestBody(gb, 0, gb.length);
    assertThat(TestSupport.attributes(g))
        .containsEntry("gen_ai.request.max_tokens", 256L)
        .containsEntry("gen_ai.request.temperature", 0.7);
    LlmCall b = new LlmCall(new LlmEndpoint("aws.bedrock", "chat"), 0, false);
    byte[] bb =
        "{\"messages\":[],\"inferenceConfig\":{\"maxTokens\":100,\"temperature\":0}}"
            .getBytes(StandardCharsets.UTF_8);
    b.requestBody(bb, 0, bb.length);
    assertThat(TestSupport.attributes(b))
        .containsEntry("gen_ai.request.max_tokens", 100L)
        .containsEntry("gen_ai.request.temperature", 0.0);
    LlmCall o = new LlmCall(new LlmEndpoint("ollama", "chat"), 0, false);
    byte[] ob =
        "{\"model\":\"llama3\",\"options\":{\"num_predict\":64}}".getBytes(StandardCharsets.UTF_8);
    o.requestBody(ob, 0, ob.length);
    assertThat(TestSupport.attributes(o))
        .containsEntry("gen_ai.request.max_tokens", 64L)
        .containsEntry("gen_ai.request.model", "llama3");
  }

  @Test
  void modelAfterA20MegabyteMessagesArrayIsFound() {
    LlmCall call = new LlmCall(OPENAI, 0, false);
    byte[] head = "{\"messages\":[".getBytes(StandardCharsets.UTF_8);
    call.requestBody(head, 0, head.length);
    byte[] msg =
        ("{\"role\":\"user\",\"content\":\""
                + "lorem ipsum \\\"dolor\\\" sit amet ".repeat(300)
                + "\"},")
            .getBytes(StandardCharsets.UTF_8);
    long fed = 0;
    while (fed < 20L * 1024 * 1024) {
      call.requestBody(msg, 0, msg.length);
      fed += msg.length;
    }
    byte[] tail =
        "{\"role\":\"user\",\"content\":\"end\"}],\"temperature\":0.5,\"model\":\"gpt-4.1\",\"stream\":false}"
            .getBytes(StandardCharsets.UTF_8);
    call.requestBody(tail, 0, tail.length);
    assertThat(call.requestModel()).isEqualTo("gpt-4.1");
    // + the bounded text kept for counting tokens if the response reports no usage
    assertThat(call.retainedBytes()).isLessThan(4096 + UsageText.MAX_RETAINED_BYTES_PER_CALL);
  }

  @Test
  void nestedModelKeysAreNotTheRequestModel() {
    LlmCall call = new LlmCall(OPENAI, 0, false);
    byte[] body =
        "{\"metadata\":{\"model\":\"nope\"},\"messages\":[{\"model\":\"nope2\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    call.requestBody(body, 0, body.length);
    assertThat(call.requestModel()).isNull();
  }

  @Test
  void invalidRangesAreIgnored() {
    LlmCall call = new LlmCall(OPENAI, 0, false);
    byte[] b = new byte[4];
    call.requestBody(b, 3, 10);
    call.requestBody(null, 0, 1);
    call.requestBody(b, -1, 1);
    call.responseBody(b, 2, 5);
    call.requestBody((ByteBuffer) null);
    assertThat(Arrays.asList(call.requestModel(), call.responseModel())).containsOnlyNulls();
  }
}
