package io.llmobserve.providers.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import io.llmobserve.providers.LlmCall;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.TestSupport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntBiFunction;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * Token counting when the response reports no usage: OpenAI's rules, marks, bounds, partial calls.
 */
class UsageEstimateTest {
  static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  static final ToIntBiFunction<String, String> COUNTER =
      (enc, text) -> REGISTRY.getEncoding(enc).orElseThrow().countTokensOrdinary(text);
  static final LlmEndpoint OPENAI = new LlmEndpoint("openai", "chat");

  static int tokens(String text) {
    return COUNTER.applyAsInt("o200k_base", text);
  }

  static LlmCall call(
      LlmEndpoint ep, String request, String contentType, String response, int chunk) {
    LlmCall call = new LlmCall(ep, System.nanoTime(), false);
    byte[] req = request.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p < req.length; p += chunk) {
      call.requestBody(req, p, Math.min(chunk, req.length - p));
    }
    call.responseHeaders(200, name -> "content-type".equalsIgnoreCase(name) ? contentType : null);
    byte[] resp = response.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p < resp.length; p += chunk) {
      call.responseBody(resp, p, Math.min(chunk, resp.length - p));
    }
    return call;
  }

  static Map<String, Object> attributes(LlmCall call) {
    TestSupport.MapSink sink = new TestSupport.MapSink();
    call.writeAttributes(sink);
    return sink.map;
  }

  static String sse(String... deltas) {
    StringBuilder sb = new StringBuilder();
    for (String d : deltas) {
      sb.append(
              "data: {\"id\":\"c1\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
          .append(d.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append("\"},\"finish_reason\":null}]}\n\n");
    }
    return sb.toString();
  }

  @Test
  void chatMessagesFollowOpenAisRules() {
    String req =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
            + "{\"role\":\"user\",\"name\":\"ann\",\"content\":[{\"type\":\"text\",\"text\":\"Grüße 👋 — how are you?\"}]},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18C, sunny\"}]}";
    LlmCall call =
        call(
            OPENAI,
            req,
            "text/event-stream",
            sse("Hello", " there", "! 😀") + "data: [DONE]\n\n",
            7);
    call.responseEnd();
    assertThat(call.needsUsageEstimate()).isTrue();
    call.estimateUsage(COUNTER);

    long expectedInput =
        4 * 3
            + 3
            + tokens("system")
            + tokens("You are terse.")
            + tokens("user")
            + tokens("ann")
            + 1
            + tokens("Grüße 👋 — how are you?")
            + tokens("assistant")
            + tokens("get_weather")
            + tokens("{\"city\":\"Paris\"}")
            + tokens("tool")
            + tokens("call_1")
            + tokens("18C, sunny");
    assertThat(call.inputTokens()).isEqualTo(expectedInput);
    assertThat(call.outputTokens()).isEqualTo(tokens("Hello there! 😀"));
    Map<String, Object> a = attributes(call);
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(expectedInput);
    assertThat(a.get("llm.usage.estimated")).isEqualTo(List.of("input", "output"));
    assertThat(a.get("llm.usage.estimate_method")).isEqualTo("tokenizer:o200k_base");
  }

  @Test
  void toolDefinitionsCountAsOpenAiPublishes() {
    String req =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\","
            + "\"description\":\"Get the current weather in a given location.\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"location\":{\"type\":\"string\",\"description\":\"The city and state, e.g. San Francisco, CA\"},"
            + "\"unit\":{\"type\":\"string\",\"description\":\"The unit of temperature to return\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
            + "\"required\":[\"location\"]}}}]}";
    for (int chunk : new int[] {1, 5, 64, 4096}) {
      LlmCall call =
          call(
              OPENAI,
              req,
              "application/json",
              "{\"id\":\"x\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Sunny.\"}}]}",
              chunk);
      call.responseEnd();
      call.estimateUsage(COUNTER);
      long messages = 3 + tokens("user") + tokens("Weather?") + 3;
      long tools =
          7
              + tokens("get_current_weather:Get the current weather in a given location")
              + 3 // properties
              + 3
              + tokens("location:string:The city and state, e.g. San Francisco, CA")
              + 3
              + tokens("unit:string:The unit of temperature to return")
              - 3
              + 3
              + tokens("celsius")
              + 3
              + tokens("fahrenheit")
              + 12;
      assertThat(call.inputTokens()).as("chunk " + chunk).isEqualTo(messages + tools);
      assertThat(call.outputTokens()).isEqualTo(tokens("Sunny."));
    }
  }

  /**
   * The kept text's arrays come from {@link ByteArrayPool} and go back when a call drops its text:
   * calls that reuse arrays given back by others (longer, shorter, interleaved) count the same.
   */
  @Test
  void pooledArraysGivenBackByOtherCallsChangeNoEstimate() {
    String shortReq =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String longReq =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
            + "lorem ipsum ".repeat(300)
            + "\"}]}";
    String usage =
        "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n";
    long[] expected = null;
    for (int i = 0; i < 20; i++) {
      // a call that reports usage: its arrays (filled with other text) go back to the pool
      LlmCall reported =
          call(
              OPENAI,
              i % 2 == 0 ? longReq : shortReq,
              "text/event-stream",
              sse("x".repeat(500 + i)) + usage,
              13);
      // one that does not, open meanwhile: counts from arrays of its own
      LlmCall estimated =
          call(
              OPENAI,
              i % 3 == 0 ? longReq : shortReq,
              "text/event-stream",
              sse("Hello", " there"),
              7);
      reported.responseEnd();
      assertThat(reported.needsUsageEstimate()).isFalse();
      estimated.responseEnd();
      estimated.estimateUsage(COUNTER);
      long input = estimated.inputTokens();
      assertThat(estimated.outputTokens()).isEqualTo(tokens("Hello there"));
      if (i % 3 == 0) {
        if (expected == null) {
          expected = new long[] {input};
        }
        assertThat(input).as("call " + i).isEqualTo(expected[0]);
      } else {
        assertThat(input).as("call " + i).isEqualTo(3 + tokens("user") + tokens("hi") + 3);
      }
    }
  }

  @Test
  void poolIsBoundedAndSizesInPowersOfTwo() {
    assertThat(ByteArrayPool.sizeFor(1)).isEqualTo(256);
    assertThat(ByteArrayPool.sizeFor(257)).isEqualTo(512);
    assertThat(ByteArrayPool.sizeFor(1024)).isEqualTo(1024);
    assertThat(ByteArrayPool.sizeFor(16 * 1024 + 1)).isEqualTo(16 * 1024 + 1);
    byte[] big = new byte[64 * 1024];
    ByteArrayPool.give(big); // too big to keep
    assertThat(ByteArrayPool.take(40 * 1024)).isNotSameAs(big);
    byte[] a = ByteArrayPool.take(300);
    assertThat(a.length).isGreaterThanOrEqualTo(300);
    ByteArrayPool.give(a);
    byte[] b = ByteArrayPool.take(300);
    assertThat(b.length).isGreaterThanOrEqualTo(300);
    assertThat(ByteArrayPool.take(300)).as("a taken array is the taker's alone").isNotSameAs(b);
  }

  @Test
  void reportedUsageStaysExactAndUnmarked() {
    String req =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String resp =
        sse("Hi")
            + "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n"
            + "data: [DONE]\n\n";
    LlmCall call = call(OPENAI, req, "text/event-stream", resp, 16);
    call.responseEnd();
    assertThat(call.needsUsageEstimate()).isFalse();
    call.estimateUsage(COUNTER);
    Map<String, Object> a = attributes(call);
    assertThat(a.get("gen_ai.usage.input_tokens")).isEqualTo(9L);
    assertThat(a.get("gen_ai.usage.output_tokens")).isEqualTo(2L);
    assertThat(a).doesNotContainKeys("llm.usage.estimated", "llm.usage.estimate_method");
    assertThat(call.retainedBytes()).as("text dropped at the end").isLessThan(20_000);
  }

  @Test
  void cancelledStreamCountsWhatArrivedAndFailureBeforeOutputCountsInputOnly() {
    String req =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell a story\"}]}";
    LlmCall cancelled = call(OPENAI, req, "text/event-stream", sse("Once", " upon", " a"), 9);
    cancelled.responseFailed("cancelled");
    cancelled.estimateUsage(COUNTER);
    assertThat(cancelled.outputTokens()).isEqualTo(tokens("Once upon a"));
    assertThat(cancelled.inputTokens()).isEqualTo(3 + tokens("user") + tokens("Tell a story") + 3);

    LlmCall failed = new LlmCall(OPENAI, System.nanoTime(), false);
    byte[] b = req.getBytes(StandardCharsets.UTF_8);
    failed.requestBody(b, 0, b.length);
    failed.responseFailed("java.net.ConnectException");
    failed.estimateUsage(COUNTER);
    assertThat(failed.inputTokens()).isEqualTo(3 + tokens("user") + tokens("Tell a story") + 3);
    assertThat(failed.estimatedCounts()).contains("input");

    LlmCall rejected =
        call(OPENAI, req, "application/json", "{\"error\":{\"type\":\"rate_limit_exceeded\"}}", 50);
    LlmCall r429 = new LlmCall(OPENAI, System.nanoTime(), false);
    r429.requestBody(b, 0, b.length);
    r429.responseHeaders(429, name -> null);
    r429.responseEnd();
    assertThat(r429.needsUsageEstimate()).as("an error status bills nothing").isFalse();
    rejected.responseEnd();
  }

  @Test
  void anthropicCancelledStreamEstimatesOutputOnlyAndIsMarkedCalibrated() {
    LlmEndpoint anthropic = new LlmEndpoint("anthropic", "chat");
    String req =
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,"
            + "\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    String resp =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello, how can I help you today?\"}}\n\n";
    LlmCall call = call(anthropic, req, "text/event-stream", resp, 11);
    call.responseFailed("cancelled");
    call.estimateUsage(COUNTER);
    assertThat(call.inputTokens()).as("reported input stays").isEqualTo(12);
    assertThat(call.outputTokens())
        .isEqualTo(Math.round(tokens("Hello, how can I help you today?") * 1.2));
    Map<String, Object> a = attributes(call);
    assertThat(a.get("llm.usage.estimated")).isEqualTo(List.of("output"));
    assertThat((String) a.get("llm.usage.estimate_method")).startsWith("calibrated:");
  }

  @Test
  void pastTheCapTokensAreExtrapolatedAndMemoryStaysBounded() {
    Random r = new Random(7);
    StringBuilder big = new StringBuilder();
    String[] words = {"alpha", "beta", "gamma", "Straße", "東京", "🙂", "delta", "epsilon"};
    while (big.length() < 400_000) {
      big.append(words[r.nextInt(words.length)]).append(' ');
    }
    String text = big.toString();
    String req =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
            + text
            + "\"}]}";
    LlmCall call = call(OPENAI, req, "text/event-stream", sse("ok"), 8192);
    assertThat(call.retainedBytes()).isLessThan(UsageText.MAX_RETAINED_BYTES_PER_CALL + 40_000);
    call.responseEnd();
    call.estimateUsage(COUNTER);
    long truth = 3 + tokens("user") + tokens(text) + 3;
    assertThat((double) call.inputTokens()).isCloseTo(truth, Percentage.withPercentage(5));
    assertThat(call.estimateMethod()).endsWith("+extrapolated");
  }
}
