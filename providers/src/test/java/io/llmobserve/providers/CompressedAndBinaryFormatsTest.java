package io.llmobserve.providers;

import static io.llmobserve.providers.TestSupport.attributes;
import static io.llmobserve.providers.TestSupport.fixture;
import static io.llmobserve.providers.TestSupport.headers;
import static io.llmobserve.providers.TestSupport.respond;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CompressedAndBinaryFormatsTest {
  static final LlmEndpoint OPENAI = new LlmEndpoint("openai", "chat");

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  /** gzip with FEXTRA, FNAME and FCOMMENT set, to exercise the header state machine. */
  static byte[] gzipWithOptionalHeaderFields(byte[] b) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    d.setInput(b);
    d.finish();
    byte[] buf = new byte[b.length + 1024];
    int n = d.deflate(buf);
    d.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
    out.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
    out.writeBytes("name.json\0".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII));
    out.write(buf, 0, n);
    out.writeBytes(new byte[8]); // trailer (not verified)
    return out.toByteArray();
  }

  static byte[] zlib(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }

  @Test
  void gzipJsonAndSseInEverySplit() throws IOException {
    for (String name : List.of("openai-chat.json", "anthropic-messages-stream.sse")) {
      byte[] plain = fixture(name);
      String ct = name.endsWith(".sse") ? "text/event-stream" : "application/json";
      Map<String, Object> expected =
          attributes(
              respond(
                  OPENAI,
                  200,
                  headers("content-type", ct),
                  plain,
                  TestSupport.whole(plain.length)));
      for (byte[] body : List.of(gzip(plain), gzipWithOptionalHeaderFields(plain), zlib(plain))) {
        String enc = body[0] == 0x1f ? "gzip" : "deflate";
        HeaderReader h = headers("content-type", ct, "content-encoding", enc);
        for (int at = 0; at <= body.length; at++) {
          assertThat(attributes(respond(OPENAI, 200, h, body, TestSupport.split(body.length, at))))
              .as("%s %s split %d", name, enc, at)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void gzipIsRecognisedWithoutHeaders() throws IOException {
    byte[] body = gzip(fixture("openai-chat.json"));
    LlmCall call =
        respond(OPENAI, 200, HeaderReader.NONE, body, TestSupport.randomChunks(body.length, 3, 40));
    assertThat(call.inputTokens()).isEqualTo(1117);
  }

  // ---- AWS event stream (Bedrock converse-stream)

  static byte[] frame(String eventType, String messageType, String payload) {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    header(headers, ":event-type", eventType);
    header(headers, ":content-type", "application/json");
    header(headers, ":message-type", messageType);
    if (messageType.equals("exception")) {
      header(headers, ":exception-type", eventType);
    }
    byte[] h = headers.toByteArray();
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    int total = 12 + h.length + p.length + 4;
    ByteBuffer bb = ByteBuffer.allocate(total);
    bb.putInt(total).putInt(h.length).putInt(0xCAFEBABE).put(h).put(p).putInt(0xDEADBEEF);
    return bb.array();
  }

  static void header(ByteArrayOutputStream out, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    out.write(n.length);
    out.writeBytes(n);
    out.write(7);
    out.write(v.length >> 8);
    out.write(v.length & 0xFF);
    out.writeBytes(v);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static final LlmEndpoint BEDROCK =
      new LlmEndpoint(
          "aws.bedrock",
          "chat",
          "anthropic.claude-3-5-sonnet-20240620-v1:0",
          true,
          "eu-west-1",
          false);

  @Test
  void bedrockConverseStreamInEverySplit() {
    byte[] body =
        concat(
            frame("messageStart", "event", "{\"p\":\"abcd\",\"role\":\"assistant\"}"),
            frame(
                "contentBlockDelta",
                "event",
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcdefgh\"}"),
            frame("contentBlockStop", "event", "{\"contentBlockIndex\":0,\"p\":\"ab\"}"),
            frame(
                "messageStop", "event", "{\"p\":\"abcdefghijklm\",\"stopReason\":\"max_tokens\"}"),
            frame(
                "metadata",
                "event",
                "{\"metrics\":{\"latencyMs\":540},\"p\":\"abc\",\"usage\":{\"inputTokens\":30,\"outputTokens\":20,\"totalTokens\":50,\"cacheReadInputTokens\":10}}"));
    HeaderReader h =
        headers(
            "content-type", "application/vnd.amazon.eventstream", "x-amzn-requestid", "f2d4-11");
    Map<String, Object> expected =
        attributes(respond(BEDROCK, 200, h, body, TestSupport.whole(body.length)));
    assertThat(expected)
        .containsEntry("gen_ai.usage.input_tokens", 40L)
        .containsEntry("gen_ai.usage.output_tokens", 20L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 10L)
        .containsEntry("gen_ai.response.finish_reasons", List.of("max_tokens"))
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("llm.request.id", "f2d4-11")
        .containsEntry("llm.hosting.region", "eu-west-1")
        .doesNotContainKey("error.type");
    for (int at = 0; at <= body.length; at++) {
      assertThat(attributes(respond(BEDROCK, 200, h, body, TestSupport.split(body.length, at))))
          .as("split %d", at)
          .isEqualTo(expected);
    }
  }

  @Test
  void bedrockExceptionFrameAndInvokeWithResponseStream() {
    byte[] err = frame("throttlingException", "exception", "{\"message\":\"Too many requests\"}");
    LlmCall call =
        respond(
            BEDROCK,
            200,
            headers("content-type", "application/vnd.amazon.eventstream"),
            err,
            TestSupport.whole(err.length));
    assertThat(call.errorType()).isEqualTo("throttlingException");

    String inner1 =
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01\",\"model\":\"claude-3-5-sonnet-20240620\",\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}";
    String inner2 =
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":6}}";
    String inner3 =
        "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":11,\"outputTokenCount\":6,\"invocationLatency\":400,\"firstByteLatency\":200}}";
    Base64.Encoder b64 = Base64.getEncoder();
    byte[] body =
        concat(
            frame(
                "chunk",
                "event",
                "{\"bytes\":\""
                    + b64.encodeToString(inner1.getBytes(StandardCharsets.UTF_8))
                    + "\"}"),
            frame(
                "chunk",
                "event",
                "{\"bytes\":\""
                    + b64.encodeToString(inner2.getBytes(StandardCharsets.UTF_8))
                    + "\"}"),
            frame(
                "chunk",
                "event",
                "{\"bytes\":\""
                    + b64.encodeToString(inner3.getBytes(StandardCharsets.UTF_8))
                    + "\"}"));
    LlmCall inv =
        respond(
            BEDROCK,
            200,
            headers("content-type", "application/vnd.amazon.eventstream"),
            body,
            TestSupport.randomChunks(body.length, 9, 13));
    assertThat(inv.inputTokens()).isEqualTo(11);
    assertThat(inv.outputTokens()).isEqualTo(6);
    assertThat(inv.responseModel()).isEqualTo("claude-3-5-sonnet-20240620");
    assertThat(inv.finishReasons()).containsExactly("end_turn");
  }
}
