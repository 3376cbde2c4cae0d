package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpMessage;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Raw Apache HttpClient 5 (classic: execute with and without a response handler, body consumed
 * whole or streamed; async: SimpleHttpRequest and a streaming AsyncEntityConsumer), Apache
 * HttpClient 4 (same shapes) and HttpURLConnection (JSON, SSE, error status), OpenAI format. Args:
 * simulator base URL.
 */
public final class RawBlockingClientsScenario {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    String url = base + "/v1/chat/completions";

    try (CloseableHttpClient hc5 = HttpClients.createDefault()) {
      call(
          "hc5.execute",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o-mini", false);
            try (CloseableHttpResponse r = hc5.execute(hc5Post(url, "hc5.execute", body))) {
              byte[] bytes = EntityUtils.toByteArray(r.getEntity());
              return result(r.getCode(), bytes, header(r, "x-request-id"), body);
            }
          });
      call(
          "hc5.execute.stream",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o", true);
            try (CloseableHttpResponse r = hc5.execute(hc5Post(url, "hc5.execute.stream", body))) {
              byte[] bytes = readInChunks(r.getEntity().getContent());
              return result(r.getCode(), bytes, header(r, "x-request-id"), body);
            }
          });
      call(
          "hc5.handler",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o-mini", false);
            return hc5.execute(
                hc5Post(url, "hc5.handler", body),
                r ->
                    result(
                        r.getCode(),
                        EntityUtils.toByteArray(r.getEntity()),
                        header(r, "x-request-id"),
                        body));
          });
      call(
          "hc5.handler.stream",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o", true);
            return hc5.execute(
                hc5Post(url, "hc5.handler.stream", body),
                r ->
                    result(
                        r.getCode(),
                        readInChunks(r.getEntity().getContent()),
                        header(r, "x-request-id"),
                        body));
          });
      call(
          "hc5.error500",
          () -> {
            String body = JdkHttpClientScenario.chatBody(JdkHttpClientScenario.MODEL_500, false);
            try (CloseableHttpResponse r = hc5.execute(hc5Post(url, "hc5.error500", body))) {
              return result(
                  r.getCode(),
                  EntityUtils.toByteArray(r.getEntity()),
                  header(r, "x-request-id"),
                  body);
            }
          });
    }

    try (CloseableHttpAsyncClient async = HttpAsyncClients.createDefault()) {
      async.start();
      call(
          "hc5.async.simple",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o-mini", false);
            SimpleHttpRequest request =
                SimpleRequestBuilder.post(url)
                    .addHeader("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY)
                    .addHeader(CALL_HEADER, "hc5.async.simple")
                    .setBody(body, ContentType.APPLICATION_JSON)
                    .build();
            Future<SimpleHttpResponse> f = async.execute(request, null);
            SimpleHttpResponse r = f.get(30, TimeUnit.SECONDS);
            return result(
                r.getCode(), r.getBodyBytes(), r.getFirstHeader("x-request-id").getValue(), body);
          });
      call(
          "hc5.async.stream",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o", true);
            AsyncRequestProducer producer =
                AsyncRequestBuilder.post(url)
                    .addHeader("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY)
                    .addHeader(CALL_HEADER, "hc5.async.stream")
                    .setEntity(new StringAsyncEntityProducer(body, ContentType.APPLICATION_JSON))
                    .build();
            CompletableFuture<Map<String, String>> done = new CompletableFuture<>();
            async.execute(
                producer,
                new StreamingConsumer(body),
                new FutureCallback<Map<String, String>>() {
                  @Override
                  public void completed(Map<String, String> result) {
                    done.complete(result);
                  }

                  @Override
                  public void failed(Exception ex) {
                    done.completeExceptionally(ex);
                  }

                  @Override
                  public void cancelled() {
                    done.cancel(false);
                  }
                });
            return done.get(30, TimeUnit.SECONDS);
          });
      call(
          "hc5.async.customProducer",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o", true);
            return executeAsync(
                async, new HandMadeProducer(url, "hc5.async.customProducer", body), body);
          });
      call(
          "hc5.async.wrappedProducer",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o-mini", false);
            AsyncRequestProducer built =
                AsyncRequestBuilder.post(url)
                    .addHeader("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY)
                    .addHeader(CALL_HEADER, "hc5.async.wrappedProducer")
                    .setEntity(new StringAsyncEntityProducer(body, ContentType.APPLICATION_JSON))
                    .build();
            return executeAsync(async, new WrappingProducer(built), body);
          });
    }

    try (org.apache.http.impl.client.CloseableHttpClient hc4 =
        org.apache.http.impl.client.HttpClients.createDefault()) {
      call(
          "hc4.execute",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o-mini", false);
            try (org.apache.http.client.methods.CloseableHttpResponse r =
                hc4.execute(hc4Post(url, "hc4.execute", body))) {
              byte[] bytes = org.apache.http.util.EntityUtils.toByteArray(r.getEntity());
              return result(
                  r.getStatusLine().getStatusCode(),
                  bytes,
                  r.getFirstHeader("x-request-id").getValue(),
                  body);
            }
          });
      call(
          "hc4.execute.stream",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o", true);
            try (org.apache.http.client.methods.CloseableHttpResponse r =
                hc4.execute(hc4Post(url, "hc4.execute.stream", body))) {
              byte[] bytes = readInChunks(r.getEntity().getContent());
              return result(
                  r.getStatusLine().getStatusCode(),
                  bytes,
                  r.getFirstHeader("x-request-id").getValue(),
                  body);
            }
          });
      call(
          "hc4.handler.stream",
          () -> {
            String body = JdkHttpClientScenario.chatBody("gpt-4o", true);
            return hc4.execute(
                hc4Post(url, "hc4.handler.stream", body),
                r ->
                    result(
                        r.getStatusLine().getStatusCode(),
                        readInChunks(r.getEntity().getContent()),
                        r.getFirstHeader("x-request-id").getValue(),
                        body));
          });
    }

    call(
        "huc.json",
        () -> huc(url, "huc.json", JdkHttpClientScenario.chatBody("gpt-4o-mini", false)));
    call(
        "huc.stream", () -> huc(url, "huc.stream", JdkHttpClientScenario.chatBody("gpt-4o", true)));
    call(
        "huc.throttled429",
        () ->
            huc(
                url,
                "huc.throttled429",
                JdkHttpClientScenario.chatBody(JdkHttpClientScenario.MODEL_429, false)));
    call(
        "huc.throttled429.inputStream",
        () -> {
          // getInputStream throws on the error status; the app then reads the error body
          String body = JdkHttpClientScenario.chatBody(JdkHttpClientScenario.MODEL_429, false);
          HttpURLConnection c = hucPost(url, "huc.throttled429.inputStream", body);
          try (InputStream in = c.getInputStream()) {
            throw new IllegalStateException("expected the error status to throw");
          } catch (java.io.IOException expected) {
            try (InputStream err = c.getErrorStream()) {
              return result(
                  c.getResponseCode(), readInChunks(err), c.getHeaderField("x-request-id"), body);
            }
          }
        });
    call(
        "huc.error500.unread",
        () -> {
          // an app that looks at the status only: neither reads the error body nor disconnects
          String body = JdkHttpClientScenario.chatBody(JdkHttpClientScenario.MODEL_500, false);
          HttpURLConnection c = hucPost(url, "huc.error500.unread", body);
          int code = c.getResponseCode();
          return values(
              "status",
              code,
              "requestId",
              c.getHeaderField("x-request-id"),
              "requestSha256",
              Results.sha256(body.getBytes(StandardCharsets.UTF_8)));
        });
  }

  static HttpURLConnection hucPost(String url, String label, String body) throws Exception {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY);
    c.setRequestProperty("Content-Type", "application/json");
    c.setRequestProperty(CALL_HEADER, label);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    return c;
  }

  static Map<String, String> executeAsync(
      CloseableHttpAsyncClient async, AsyncRequestProducer producer, String body) throws Exception {
    CompletableFuture<Map<String, String>> done = new CompletableFuture<>();
    async.execute(
        producer,
        new StreamingConsumer(body),
        new FutureCallback<Map<String, String>>() {
          @Override
          public void completed(Map<String, String> result) {
            done.complete(result);
          }

          @Override
          public void failed(Exception ex) {
            done.completeExceptionally(ex);
          }

          @Override
          public void cancelled() {
            done.cancel(false);
          }
        });
    return done.get(30, TimeUnit.SECONDS);
  }

  /** An app's own request producer (no BasicRequestProducer): head and body written by hand. */
  static final class HandMadeProducer implements AsyncRequestProducer {
    private final String url;
    private final String label;
    private final ByteBuffer body;

    HandMadeProducer(String url, String label, String json) {
      this.url = url;
      this.label = label;
      this.body = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendRequest(RequestChannel channel, HttpContext context)
        throws HttpException, java.io.IOException {
      BasicHttpRequest request = new BasicHttpRequest("POST", java.net.URI.create(url));
      request.addHeader("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY);
      request.addHeader(CALL_HEADER, label);
      channel.sendRequest(
          request, new BasicEntityDetails(body.remaining(), ContentType.APPLICATION_JSON), context);
    }

    @Override
    public boolean isRepeatable() {
      return false;
    }

    @Override
    public void failed(Exception cause) {
      // nothing held
    }

    @Override
    public int available() {
      return body.remaining();
    }

    @Override
    public void produce(DataStreamChannel channel) throws java.io.IOException {
      // a few bytes at a time, as a producer of a large body would
      ByteBuffer slice = body.duplicate();
      slice.limit(Math.min(body.limit(), body.position() + 64));
      int n = channel.write(slice);
      body.position(body.position() + n);
      if (!body.hasRemaining()) {
        channel.endStream();
      } else {
        channel.requestOutput();
      }
    }

    @Override
    public void releaseResources() {
      // nothing held
    }
  }

  /** An app's producer that wraps a built one (e.g. to log or sign it). */
  static final class WrappingProducer implements AsyncRequestProducer {
    private final AsyncRequestProducer delegate;

    WrappingProducer(AsyncRequestProducer delegate) {
      this.delegate = delegate;
    }

    @Override
    public void sendRequest(RequestChannel channel, HttpContext context)
        throws HttpException, java.io.IOException {
      delegate.sendRequest(channel, context);
    }

    @Override
    public boolean isRepeatable() {
      return delegate.isRepeatable();
    }

    @Override
    public void failed(Exception cause) {
      delegate.failed(cause);
    }

    @Override
    public int available() {
      return delegate.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws java.io.IOException {
      delegate.produce(channel);
    }

    @Override
    public void releaseResources() {
      delegate.releaseResources();
    }
  }

  static HttpPost hc5Post(String url, String label, String body) {
    HttpPost post = new HttpPost(url);
    post.setHeader("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY);
    post.setHeader(CALL_HEADER, label);
    post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    return post;
  }

  static org.apache.http.client.methods.HttpPost hc4Post(String url, String label, String body) {
    org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(url);
    post.setHeader("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY);
    post.setHeader(CALL_HEADER, label);
    post.setEntity(
        new org.apache.http.entity.StringEntity(
            body, org.apache.http.entity.ContentType.APPLICATION_JSON));
    return post;
  }

  static Map<String, String> huc(String url, String label, String body) throws Exception {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY);
    c.setRequestProperty("Content-Type", "application/json");
    c.setRequestProperty(CALL_HEADER, label);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int code = c.getResponseCode();
    byte[] bytes;
    try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
      bytes = readInChunks(in);
    }
    return result(code, bytes, c.getHeaderField("x-request-id"), body);
  }

  static String header(HttpMessage m, String name) {
    return m.getFirstHeader(name) == null ? "" : m.getFirstHeader(name).getValue();
  }

  /** Reads like a streaming app: small reads as the bytes arrive. */
  static byte[] readInChunks(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[97];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  static Map<String, String> result(int status, byte[] body, String requestId, String requestBody) {
    return values(
        "status",
        status,
        "sha256",
        Results.sha256(body),
        "requestId",
        requestId,
        "requestSha256",
        Results.sha256(requestBody.getBytes(StandardCharsets.UTF_8)));
  }

  /** A streaming AsyncEntityConsumer: sees the body buffer by buffer as it arrives. */
  static final class StreamingConsumer extends AbstractBinResponseConsumer<Map<String, String>> {
    private final String requestBody;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int status;
    private String requestId;

    StreamingConsumer(String requestBody) {
      this.requestBody = requestBody;
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) throws HttpException {
      status = response.getCode();
      requestId = header(response, "x-request-id");
    }

    @Override
    protected int capacityIncrement() {
      return 4096;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
      while (src.hasRemaining()) {
        received.write(src.get());
      }
    }

    @Override
    protected Map<String, String> buildResult() {
      return result(status, received.toByteArray(), requestId, requestBody);
    }

    @Override
    public void releaseResources() {
      // nothing held
    }
  }
}
