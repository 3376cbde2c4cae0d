package io.llmobserve.agent.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmobserve.agent.common.AbandonWatch;
import io.llmobserve.agent.common.Gc;
import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.TestTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OkHttpTeeTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String RESPONSE =
      "{\"id\":\"c1\",\"model\":\"m-2\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1}}";

  private final TestTelemetry t = new TestTelemetry();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void requestBodyIsWrittenUnchangedEveryTimeAndReadOnce() throws IOException {
    LlmExchange exchange = t.startChat();
    String json = "{\"model\":\"m-2\",\"max_tokens\":3}";
    RequestBody original = RequestBody.create(json, JSON);
    TeeRequestBody body = new TeeRequestBody(original, exchange);
    assertThat(body.contentType()).isEqualTo(original.contentType());
    assertThat(body.contentLength()).isEqualTo(json.length());
    for (int i = 0; i < 2; i++) {
      Buffer sink = new Buffer();
      body.writeTo(sink);
      assertThat(sink.readUtf8()).isEqualTo(json);
    }
    exchange.end();
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.longKey("gen_ai.request.max_tokens")))
        .isEqualTo(3L);
  }

  @Test
  void requestBodyThatClosesItsSinkStillWorksAndIsRead() throws IOException {
    LlmExchange exchange = t.startChat();
    String json = "{\"model\":\"m-2\",\"max_tokens\":5}";
    // like Jackson's writeValue(sink.outputStream(), ..) with AUTO_CLOSE_TARGET
    RequestBody closing =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return JSON;
          }

          @Override
          public void writeTo(okio.BufferedSink sink) throws IOException {
            try (OutputStream out = sink.outputStream()) {
              out.write(json.getBytes(StandardCharsets.UTF_8));
            }
          }
        };
    Buffer sink = new Buffer();
    new TeeRequestBody(closing, exchange).writeTo(sink);
    assertThat(sink.readUtf8()).isEqualTo(json);
    exchange.end();
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.longKey("gen_ai.request.max_tokens")))
        .isEqualTo(5L);
  }

  @Test
  void responseBodyIsReadUnchangedAndEndsSpanAtEof() throws IOException {
    LlmExchange exchange = t.startChat();
    exchange.responseHeaders(200, name -> name.equals("content-type") ? "application/json" : null);
    TeeResponseBody body = new TeeResponseBody(ResponseBody.create(RESPONSE, JSON), exchange);
    assertThat(body.string()).isEqualTo(RESPONSE);
    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(7L);
  }

  @Test
  void closingEarlyEndsSpanNormally() throws IOException {
    LlmExchange exchange = t.startChat();
    TeeResponseBody body = new TeeResponseBody(ResponseBody.create(RESPONSE, JSON), exchange);
    assertThat(body.source().readUtf8(5)).isEqualTo(RESPONSE.substring(0, 5));
    assertThat(t.spans.getFinishedSpanItems()).isEmpty();
    body.close();
    body.close();
    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    assertThat(t.spans.getFinishedSpanItems().get(0).getStatus().getStatusCode())
        .isEqualTo(StatusCode.UNSET);
  }

  @Test
  void readFailureEndsSpanWithErrorAndRethrows() {
    LlmExchange exchange = t.startChat();
    BufferedSource failing =
        Okio.buffer(
            new ForwardingSource(new Buffer().writeUtf8("data: {")) {
              @Override
              public long read(Buffer sink, long byteCount) throws IOException {
                throw new IOException("stream reset");
              }
            });
    TeeResponseBody body = new TeeResponseBody(ResponseBody.create(failing, JSON, -1), exchange);
    assertThatThrownBy(body::string).isInstanceOf(IOException.class).hasMessage("stream reset");
    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.io.IOException");
  }

  @Test
  void aResponseBodyDroppedUnreadEndsItsSpanAsAbandoned() throws Exception {
    LlmExchange exchange = t.startChat();
    exchange.responseHeaders(200, name -> null);
    dropAWatchedBody(exchange);
    Gc.gcUntil(
        "span ended once the body was collected", () -> !t.spans.getFinishedSpanItems().isEmpty());
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.stringKey("error.type")))
        .isEqualTo(AbandonWatch.ABANDONED);
  }

  private static void dropAWatchedBody(LlmExchange exchange) {
    TeeResponseBody body = new TeeResponseBody(ResponseBody.create(RESPONSE, JSON), exchange);
    exchange.watchBody(body);
  }

  @Test
  void keepingOnlyTheByteStreamIsNotAbandonment() throws Exception {
    LlmExchange exchange = t.startChat();
    exchange.responseHeaders(200, name -> null);
    InputStream in = watchedBody(exchange).byteStream(); // the ResponseBody itself is dropped
    Gc.holdsThroughGc(
        "span open while the byte stream is held", () -> t.spans.getFinishedSpanItems().isEmpty());
    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(RESPONSE);
    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.stringKey("error.type")))
        .isNull();
  }

  private static ResponseBody watchedBody(LlmExchange exchange) {
    TeeResponseBody body = new TeeResponseBody(ResponseBody.create(RESPONSE, JSON), exchange);
    exchange.watchBody(body);
    return body;
  }

  @Test
  void interceptorIsInstalledOnceAndFirst() {
    OkHttpClient.Builder builder = new OkHttpClient.Builder();
    Interceptor app = chain -> chain.proceed(chain.request());
    builder.addInterceptor(app);
    LlmInterceptor.installFirst(builder);
    LlmInterceptor.installFirst(builder);
    OkHttpClient client = builder.build();
    OkHttpClient.Builder derived = client.newBuilder();
    derived.interceptors().add(LlmInterceptor.INSTANCE); // as if copied twice
    LlmInterceptor.installFirst(derived);
    List<Interceptor> interceptors = derived.interceptors();
    assertThat(interceptors).containsExactly(LlmInterceptor.INSTANCE, app);
  }
}
