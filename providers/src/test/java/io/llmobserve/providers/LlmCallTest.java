package io.llmobserve.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LlmCallTest {
  static final LlmEndpoint OPENAI = new LlmEndpoint("openai", "chat");

  @Test
  void timeToFirstChunkOnlyForStreams() {
    long twoSecondsAgo = System.nanoTime() - 2_000_000_000L;
    LlmCall stream = new LlmCall(OPENAI, twoSecondsAgo, false);
    stream.responseHeaders(200, TestSupport.headers("content-type", "text/event-stream"));
    byte[] b = "data: {\"model\":\"m\"}\n\n".getBytes(StandardCharsets.UTF_8);
    stream.responseBody(b, 0, 0); // empty reads do not count
    stream.responseBody(b, 0, b.length);
    stream.responseEnd();
    assertThat(stream.timeToFirstChunkSeconds()).isBetween(2.0, 60.0);
    TestSupport.MapSink sink = new TestSupport.MapSink();
    stream.writeAttributes(sink);
    assertThat((Double) sink.map.get("gen_ai.response.time_to_first_chunk")).isBetween(2.0, 60.0);

    LlmCall json = new LlmCall(OPENAI, twoSecondsAgo, false);
    json.responseHeaders(200, TestSupport.headers("content-type", "application/json"));
    byte[] j = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
    json.responseBody(j, 0, j.length);
    json.responseEnd();
    assertThat(json.timeToFirstChunkSeconds()).isNaN();
  }

  @Test
  void requestAndResponseSidesOnDifferentThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 200; round++) {
        LlmCall call = new LlmCall(OPENAI, System.nanoTime(), false);
        byte[] req = TestSupport.fixture("openai-chat-request.json");
        byte[] resp = TestSupport.fixture("openai-chat-stream.sse");
        var a =
            pool.submit(
                () -> {
                  for (int p = 0; p < req.length; p += 37) {
                    call.requestBody(req, p, Math.min(37, req.length - p));
                  }
                });
        var b =
            pool.submit(
                () -> {
                  call.responseHeaders(
                      200, TestSupport.headers("content-type", "text/event-stream"));
                  for (int p = 0; p < resp.length; p += 41) {
                    call.responseBody(resp, p, Math.min(41, resp.length - p));
                  }
                  call.responseEnd();
                });
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        Map<String, Object> attrs = TestSupport.attributes(call);
        assertThat(attrs)
            .containsEntry("gen_ai.request.model", "gpt-4o-mini")
            .containsEntry("gen_ai.usage.input_tokens", 19L)
            .containsEntry("gen_ai.usage.output_tokens", 10L);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void bodyAfterEndIsIgnoredAndEndIsIdempotent() {
    LlmCall call = new LlmCall(OPENAI, 0, false);
    call.responseHeaders(200, TestSupport.headers("content-type", "application/json"));
    byte[] a = "{\"model\":\"first\"}".getBytes(StandardCharsets.UTF_8);
    call.responseBody(a, 0, a.length);
    call.responseEnd();
    call.responseFailed("late");
    byte[] b = "{\"usage\":{\"prompt_tokens\":5}}".getBytes(StandardCharsets.UTF_8);
    call.responseBody(b, 0, b.length);
    assertThat(call.inputTokens()).isEqualTo(-1);
    assertThat(call.responseModel()).isEqualTo("first");
    assertThat(call.errorType()).isNull(); // a failure reported after EOF does not make it an error
  }
}
