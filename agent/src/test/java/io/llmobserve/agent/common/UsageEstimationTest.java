package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agent.extension.TokenCounting;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream without usage gets counted tokens, marked, before its span ends; one with usage does
 * not.
 */
class UsageEstimationTest {
  static final AttributeKey<Long> INPUT = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<List<String>> ESTIMATED =
      AttributeKey.stringArrayKey("llm.usage.estimated");

  private static LlmExchange stream(TestTelemetry t, String usageChunk) {
    LlmExchange exchange = t.startChat();
    byte[] req =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    exchange.requestBody(req, 0, req.length);
    exchange.responseHeaders(
        200, name -> name.equalsIgnoreCase("content-type") ? "text/event-stream" : null);
    String body =
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n"
            + "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\" world!\"},\"finish_reason\":\"stop\"}]}\n\n"
            + usageChunk
            + "data: [DONE]\n\n";
    exchange.responseBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    return exchange;
  }

  @Test
  void aStreamWithoutUsageIsCountedAndMarked() {
    TokenCounting.loadNow(); // as with estimate-tokens=preload
    try (TestTelemetry t = new TestTelemetry()) {
      stream(t, "").end();
      assertThat(t.spans.getFinishedSpanItems())
          .hasSize(1); // counted before the end: nothing lost at exit
      SpanData span = t.spans.getFinishedSpanItems().get(0);
      // user message: 3 + "user" (1) + "Say hello" (2) + 3 priming; output "Hello world!" (3)
      assertThat(span.getAttributes().get(INPUT)).isEqualTo(9L);
      assertThat(span.getAttributes().get(OUTPUT)).isEqualTo(3L);
      assertThat(span.getAttributes().get(ESTIMATED)).containsExactly("input", "output");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("llm.usage.estimate_method")))
          .isEqualTo("tokenizer:o200k_base");
    }
  }

  @Test
  void aStreamWithUsageEndsAtOnceExactAndUnmarked() {
    try (TestTelemetry t = new TestTelemetry()) {
      stream(
              t,
              "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":4}}\n\n")
          .end();
      assertThat(t.spans.getFinishedSpanItems()).hasSize(1); // synchronously: nothing to count
      SpanData span = t.spans.getFinishedSpanItems().get(0);
      assertThat(span.getAttributes().get(INPUT)).isEqualTo(11L);
      assertThat(span.getAttributes().get(OUTPUT)).isEqualTo(4L);
      assertThat(span.getAttributes().get(ESTIMATED)).isNull();
    }
  }
}
