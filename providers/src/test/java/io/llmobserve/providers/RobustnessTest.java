package io.llmobserve.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.providers.usage.UsageText;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed, truncated, binary, deep and huge inputs: no exception, partial data, bounded state.
 */
class RobustnessTest {
  static final LlmEndpoint OPENAI = new LlmEndpoint("openai", "chat");
  static final String[] TYPES = {
    "application/json",
    "text/event-stream",
    "application/x-ndjson",
    "application/vnd.amazon.eventstream",
    null
  };

  @Test
  void binaryGarbageInEveryFormatNeverThrows() {
    Random r = new Random(7);
    for (String ct : TYPES) {
      for (String enc : new String[] {null, "gzip", "deflate"}) {
        for (int trial = 0; trial < 20; trial++) {
          byte[] junk = new byte[1 + r.nextInt(5000)];
          r.nextBytes(junk);
          LlmCall call = new LlmCall(OPENAI, 0, trial % 2 == 0);
          call.requestBody(junk, 0, junk.length);
          call.responseHeaders(
              200,
              TestSupport.headers(
                  "content-type",
                  ct == null ? "" : ct,
                  "content-encoding",
                  enc == null ? "" : enc));
          TestSupport.feedResponse(call, junk, TestSupport.randomChunks(junk.length, trial, 300));
          call.responseEnd();
          Map<String, Object> a = TestSupport.attributes(call);
          assertThat(a).containsEntry("gen_ai.provider.name", "openai");
        }
      }
    }
  }

  @Test
  void truncatedFixturesGivePartialData() {
    byte[] body = TestSupport.fixture("anthropic-messages-stream.sse");
    String s = new String(body, StandardCharsets.UTF_8);
    int cut = s.indexOf("event: message_delta");
    LlmCall call =
        TestSupport.respond(
            new LlmEndpoint("anthropic", "chat"),
            200,
            TestSupport.headers("content-type", "text/event-stream"),
            body,
            TestSupport.split(cut, cut));
    assertThat(call.responseModel()).isEqualTo("claude-3-5-haiku-20241022");
    assertThat(call.outputTokens())
        .isEqualTo(1); // message_start's count: the final delta never came
    for (int at = 0; at < body.length; at += 7) {
      LlmCall partial = new LlmCall(new LlmEndpoint("anthropic", "chat"), 0, true);
      partial.responseHeaders(200, TestSupport.headers("content-type", "text/event-stream"));
      partial.responseBody(body, 0, at);
      partial.responseFailed("java.io.IOException");
      assertThat(partial.errorType()).isEqualTo("java.io.IOException");
      TestSupport.attributes(partial);
    }
  }

  @Test
  void deeplyNestedDocumentsStayBounded() {
    LlmCall call = new LlmCall(OPENAI, 0, false);
    call.responseHeaders(200, TestSupport.headers("content-type", "application/json"));
    byte[] open = "{\"a\":[".repeat(1000).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 100; i++) {
      call.responseBody(open, 0, open.length); // 100k levels: abandoned past the depth limit
    }
    call.responseEnd();
    assertThat(call.retainedBytes()).isLessThan(4096);
    LlmCall ok = new LlmCall(OPENAI, 0, false);
    ok.responseHeaders(200, TestSupport.headers("content-type", "application/json"));
    String deep = "{\"x\":" + "[".repeat(500) + "]".repeat(500) + ",\"model\":\"deep-ok\"}";
    byte[] b = deep.getBytes(StandardCharsets.UTF_8);
    ok.responseBody(b, 0, b.length);
    assertThat(ok.responseModel()).isEqualTo("deep-ok");
  }

  @Test
  void fiftyMegabyteStreamKeepsUsageFromTheEndAndConstantState() {
    LlmCall call = new LlmCall(OPENAI, System.nanoTime(), false);
    call.responseHeaders(200, TestSupport.headers("content-type", "text/event-stream"));
    byte[] chunk =
        ("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + "token ".repeat(40)
                + "\"},\"finish_reason\":null}],\"usage\":null}\n\n")
            .getBytes(StandardCharsets.UTF_8);
    long fed = 0;
    int maxRetained = 0;
    while (fed < 50L * 1024 * 1024) {
      call.responseBody(chunk, 0, chunk.length);
      fed += chunk.length;
      maxRetained = Math.max(maxRetained, call.retainedBytes());
    }
    byte[] tail =
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":99999}}\n\ndata: [DONE]\n\n"
            .getBytes(StandardCharsets.UTF_8);
    call.responseBody(tail, 0, tail.length);
    call.responseEnd();
    assertThat(call.inputTokens()).isEqualTo(12);
    assertThat(call.outputTokens()).isEqualTo(99999);
    assertThat(call.finishReasons()).containsExactly("stop");
    // + the bounded text kept for counting tokens if the response reports no usage
    assertThat(maxRetained).isLessThan(16 * 1024 + UsageText.MAX_RETAINED_BYTES_PER_CALL);
    assertThat(call.timeToFirstChunkSeconds()).isGreaterThanOrEqualTo(0.0);
  }

  @Test
  void hugeStringsAreSkippedNotMaterialised() {
    LlmCall call = new LlmCall(OPENAI, 0, false);
    call.responseHeaders(200, TestSupport.headers("content-type", "application/json"));
    byte[] head = "{\"model\":\"".getBytes(StandardCharsets.UTF_8);
    call.responseBody(head, 0, head.length);
    byte[] x = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 5; i++) {
      call.responseBody(x, 0, x.length);
    }
    byte[] tail =
        "\",\"id\":\"r1\",\"usage\":{\"prompt_tokens\":3}}".getBytes(StandardCharsets.UTF_8);
    call.responseBody(tail, 0, tail.length);
    call.responseEnd();
    assertThat(call.responseModel())
        .isNull(); // over the cap: dropped, not truncated into a wrong name
    assertThat(call.inputTokens()).isEqualTo(3);
    assertThat(call.retainedBytes()).isLessThan(4096);
  }

  @Test
  void finishReasonsAreDeduplicatedAndBounded() {
    StringBuilder sb = new StringBuilder("{\"choices\":[");
    for (int i = 0; i < 50; i++) {
      sb.append(i > 0 ? "," : "")
          .append("{\"index\":")
          .append(i)
          .append(",\"finish_reason\":\"r")
          .append(i % 20)
          .append("\"}");
    }
    sb.append(",{\"finish_reason\":\"r0\"}]}");
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    LlmCall call =
        TestSupport.respond(
            OPENAI,
            200,
            TestSupport.headers("content-type", "application/json"),
            b,
            TestSupport.whole(b.length));
    assertThat(call.finishReasons()).hasSize(8).doesNotHaveDuplicates().startsWith("r0", "r1");
  }

  @Test
  void throwingHeaderReaderAndSinkDoNotEscape() {
    LlmCall call = new LlmCall(OPENAI, 0, false);
    call.responseHeaders(
        200,
        name -> {
          throw new IllegalStateException("client bug");
        });
    byte[] b = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
    call.responseBody(b, 0, b.length);
    call.responseEnd();
    assertThat(call.responseModel()).isEqualTo("m");
    call.writeAttributes(
        new TestSupport.MapSink() {
          @Override
          public void put(String key, String value) {
            throw new IllegalStateException("sink bug");
          }
        });
  }
}
