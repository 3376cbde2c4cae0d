package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared stream tees a classic client's hook uses: bytes unchanged, the call read, one end. */
class TeeStreamsTest {
  static final byte[] REQUEST =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
          .getBytes(StandardCharsets.UTF_8);
  static final byte[] RESPONSE =
      ("{\"id\":\"c1\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],"
              + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}")
          .getBytes(StandardCharsets.UTF_8);

  private final TestTelemetry t = new TestTelemetry();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void bytesPassUnchangedAndTheCallIsRead() throws IOException {
    LlmExchange exchange = t.startChat();
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    try (TeeOutputStream out = new TeeOutputStream(sent, exchange)) {
      out.write(REQUEST, 0, 10);
      out.write(REQUEST[10]);
      out.write(REQUEST, 11, REQUEST.length - 11);
    }
    // a replayed body (retry) is written through but not read twice
    ByteArrayOutputStream resent = new ByteArrayOutputStream();
    new TeeOutputStream(resent, exchange).write(REQUEST);
    assertThat(sent.toByteArray()).isEqualTo(REQUEST);
    assertThat(resent.toByteArray()).isEqualTo(REQUEST);

    exchange.responseHeaders(200, Map.of("content-type", "application/json")::get);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (InputStream in = new TeeInputStream(new ByteArrayInputStream(RESPONSE), exchange)) {
      received.write(in.read());
      received.write(in.readAllBytes());
    }
    assertThat(received.toByteArray()).isEqualTo(RESPONSE);

    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    SpanData span = t.spans.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("chat gpt-4o");
    assertThat(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(9L);
    assertThat(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .isEqualTo(3L);
  }

  @Test
  void aReadErrorFailsTheCallAndReachesTheApp() {
    LlmExchange exchange = t.startChat();
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };
    assertThatThrownBy(() -> new TeeInputStream(broken, exchange).read(new byte[8], 0, 8))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
    SpanData span = t.spans.getFinishedSpanItems().get(0);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.io.IOException");
  }
}
