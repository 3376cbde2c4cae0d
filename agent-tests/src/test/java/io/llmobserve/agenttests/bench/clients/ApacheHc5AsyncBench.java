package io.llmobserve.agenttests.bench.clients;

import io.llmobserve.agenttests.bench.BenchClient;
import java.nio.ByteBuffer;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;

/**
 * Apache HttpClient 5 async: a {@code SimpleHttpRequest} for chat (the client buffers the body), a
 * streaming response consumer for the stream (each chunk seen as it arrives, as an app that
 * forwards tokens does).
 */
public final class ApacheHc5AsyncBench implements BenchClient {
  private CloseableHttpAsyncClient client;
  private String base;
  private String chatPath;

  @Override
  public String name() {
    return "apache-hc5-async";
  }

  @Override
  public void open(String baseUrl, String chatPath) {
    client = HttpAsyncClients.createDefault();
    client.start();
    base = baseUrl;
    this.chatPath = chatPath;
  }

  @Override
  public long chat() throws Exception {
    SimpleHttpRequest request =
        SimpleRequestBuilder.post(base + chatPath)
            .addHeader("Authorization", "Bearer " + API_KEY)
            .setBody(CHAT_BODY, ContentType.APPLICATION_JSON)
            .build();
    return client.execute(request, null).get(30, TimeUnit.SECONDS).getBodyBytes().length;
  }

  @Override
  public long stream() throws Exception {
    Future<Long> done =
        client.execute(
            AsyncRequestBuilder.post(base + chatPath)
                .addHeader("Authorization", "Bearer " + API_KEY)
                .setEntity(new StringAsyncEntityProducer(STREAM_BODY, ContentType.APPLICATION_JSON))
                .build(),
            new CountingConsumer(),
            null);
    return done.get(30, TimeUnit.SECONDS);
  }

  @Override
  public long nonLlm() throws Exception {
    return client
        .execute(SimpleRequestBuilder.get(base + NON_LLM_PATH).build(), null)
        .get(30, TimeUnit.SECONDS)
        .getBodyBytes()
        .length;
  }

  @Override
  public void close() throws Exception {
    client.close();
  }

  /** Counts the streamed body's bytes chunk by chunk. */
  private static final class CountingConsumer extends AbstractBinResponseConsumer<Long> {
    private long bytes;

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
      bytes = 0;
    }

    @Override
    protected int capacityIncrement() {
      return 4096;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
      bytes += src.remaining();
      src.position(src.limit());
    }

    @Override
    protected Long buildResult() {
      return bytes;
    }

    @Override
    public void releaseResources() {
      // nothing held
    }
  }
}
