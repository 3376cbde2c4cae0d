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
import org.junit.jupiter.api.Test;

/** The blocking clients' tees: the app reads and writes exactly its bytes; the span ends once. */
class ExchangeStreamsTest {
  static final String REQUEST =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String RESPONSE =
      "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}";

  @Test
  void bytesPassUnchangedAndTheSpanEndsAtEofWithWhatTheBodiesSaid() throws IOException {
    try (TestTelemetry t = new TestTelemetry()) {
      LlmExchange exchange = t.startChat();
      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      try (ExchangeOutputStream out = new ExchangeOutputStream(sent, exchange, false)) {
        byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
        out.write(body[0]);
        out.write(body, 1, body.length - 1);
      }
      assertThat(sent.toString(StandardCharsets.UTF_8)).isEqualTo(REQUEST);
      exchange.responseHeaders(
          200, name -> "content-type".equals(name) ? "application/json" : null);
      InputStream in =
          new ExchangeInputStream(
              new ByteArrayInputStream(RESPONSE.getBytes(StandardCharsets.UTF_8)), exchange);
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      read.write(in.read());
      assertThat(in.skip(3)).isEqualTo(3);
      read.write(RESPONSE.substring(1, 4).getBytes(StandardCharsets.UTF_8));
      byte[] buf = new byte[7];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        read.write(buf, 0, n);
      }
      assertThat(read.toString(StandardCharsets.UTF_8)).isEqualTo(RESPONSE);
      assertThat(exchange.isEnded()).isTrue();
      in.close(); // a second end is ignored

      assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
      SpanData span = t.spans.getFinishedSpanItems().get(0);
      assertThat(span.getName()).isEqualTo("chat gpt-4o");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
          .isEqualTo("gpt-4o-2024-08-06");
      assertThat(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
          .isEqualTo(2L);
      assertThat(in.markSupported()).isFalse();
    }
  }

  @Test
  void aReadFailureReachesTheAppAndFailsTheSpan() {
    try (TestTelemetry t = new TestTelemetry()) {
      LlmExchange exchange = t.startChat();
      InputStream broken =
          new InputStream() {
            @Override
            public int read() throws IOException {
              throw new IOException("connection reset");
            }
          };
      assertThatThrownBy(() -> new ExchangeInputStream(broken, exchange).read(new byte[4], 0, 4))
          .isInstanceOf(IOException.class)
          .hasMessage("connection reset");
      assertThat(t.spans.getFinishedSpanItems())
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.getAttributes().get(AttributeKey.stringKey("error.type")))
                      .isEqualTo("java.io.IOException"));
    }
  }
}
