package io.llmobserve.providers;

import static io.llmobserve.providers.TestSupport.attributes;
import static io.llmobserve.providers.TestSupport.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.providers.sse.SseDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Hostile bodies: the library's work per body is bounded, and the span says when it stopped. */
class BoundedWorkTest {
  static final LlmEndpoint OPENAI = new LlmEndpoint("openai", "chat");

  /** A JSON body that inflates ~1000x: the shape of a gzip bomb. */
  static byte[] gzipBomb(long inflatedBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write("{\"model\":\"gpt-4o\",\"pad\":\"".getBytes(StandardCharsets.US_ASCII));
      byte[] spaces = new byte[1 << 20];
      Arrays.fill(spaces, (byte) 'a');
      for (long n = 0; n < inflatedBytes; n += spaces.length) {
        gz.write(spaces);
      }
      gz.write(
          "\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}"
              .getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  @Test
  void gzipBombStopsInflatingEarlyAndSaysSo() throws IOException {
    byte[] bomb = gzipBomb(256L << 20); // 256 MB inflated from ~250 KB
    LlmCall call = new LlmCall(OPENAI, System.nanoTime(), false);
    call.responseHeaders(
        200, headers("content-type", "application/json", "content-encoding", "gzip"));
    for (int off = 0; off < bomb.length; off += 16384) {
      call.responseBody(bomb, off, Math.min(16384, bomb.length - off));
    }
    call.responseEnd();
    assertThat(attributes(call))
        .containsEntry(GenAiAttributes.LLM_BODY_SCAN_STOPPED, "inflate_ratio")
        .containsEntry(
            GenAiAttributes.RESPONSE_MODEL, "gpt-4o"); // what came before the stop is kept
    assertThat(call.retainedBytes()).isLessThan(64 * 1024);
  }

  @Test
  void ordinaryGzipBodyIsReadWhole() throws IOException {
    byte[] plain = TestSupport.fixture("openai-chat.json");
    byte[] body = CompressedAndBinaryFormatsTest.gzip(plain);
    LlmCall call =
        TestSupport.respond(
            OPENAI,
            200,
            headers("content-type", "application/json", "content-encoding", "gzip"),
            body,
            TestSupport.whole(body.length));
    assertThat(attributes(call)).doesNotContainKey(GenAiAttributes.LLM_BODY_SCAN_STOPPED);
    assertThat(call.inputTokens()).isEqualTo(1117);
  }

  @Test
  void oversizedSseEventIsSkippedAndLaterEventsStillCount() {
    LlmCall call = new LlmCall(OPENAI, System.nanoTime(), false);
    call.responseHeaders(200, headers("content-type", "text/event-stream"));
    byte[] start =
        "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\""
            .getBytes(StandardCharsets.US_ASCII);
    call.responseBody(start, 0, start.length);
    byte[] filler = new byte[1 << 20];
    Arrays.fill(filler, (byte) 'x');
    for (long n = 0; n < SseDecoder.MAX_EVENT_DATA + (2 << 20); n += filler.length) {
      call.responseBody(filler, 0, filler.length);
    }
    byte[] rest =
        ("\"}}]}\n\ndata: {\"model\":\"gpt-4o\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5}}\n\ndata: [DONE]\n\n")
            .getBytes(StandardCharsets.US_ASCII);
    call.responseBody(rest, 0, rest.length);
    call.responseEnd();
    assertThat(attributes(call))
        .containsEntry(GenAiAttributes.LLM_BODY_SCAN_STOPPED, "sse_event_size")
        .containsEntry(GenAiAttributes.USAGE_INPUT_TOKENS, 7L)
        .containsEntry(GenAiAttributes.USAGE_OUTPUT_TOKENS, 5L);
    assertThat(call.retainedBytes()).isLessThan(64 * 1024);
  }
}
