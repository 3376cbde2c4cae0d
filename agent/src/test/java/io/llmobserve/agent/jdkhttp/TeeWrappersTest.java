package io.llmobserve.agent.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.TestTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDK wrappers pass bytes through untouched and end the span exactly once. */
class TeeWrappersTest {
  private static final String SSE =
      "data: {\"id\":\"c1\",\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
          + "data: {\"id\":\"c1\",\"model\":\"m-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\n\n"
          + "data: [DONE]\n\n";

  private final TestTelemetry t = new TestTelemetry();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void requestPublisherDeliversSameBuffersAndTeesOnlyFirstSubscription() {
    LlmExchange exchange = t.startChat();
    String body = "{\"model\":\"m-1\",\"stream\":true}";
    TeeBodyPublisher publisher =
        new TeeBodyPublisher(HttpRequest.BodyPublishers.ofString(body), exchange);
    assertThat(publisher.contentLength()).isEqualTo(body.length());
    assertThat(collect(publisher)).isEqualTo(body);
    assertThat(collect(publisher)).isEqualTo(body); // a resend: same bytes again
    exchange.end();
    assertThat(t.spans.getFinishedSpanItems().get(0).getName()).isEqualTo("chat m-1");
  }

  @Test
  void responseSubscriberDeliversUnchangedBytesAndEndsOnComplete() throws Exception {
    LlmExchange exchange = t.startChat();
    TeeBodyHandler<String> handler =
        new TeeBodyHandler<>(HttpResponse.BodyHandlers.ofString(), exchange);
    HttpResponse.BodySubscriber<String> subscriber = handler.apply(info(200, "text/event-stream"));
    List<Long> cancels = new ArrayList<>();
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {
            cancels.add(1L);
          }
        });
    byte[] bytes = SSE.getBytes(StandardCharsets.UTF_8);
    int half = bytes.length / 2;
    ByteBuffer first = ByteBuffer.wrap(bytes, 0, half).slice();
    ByteBuffer second = ByteBuffer.wrap(bytes, half, bytes.length - half).slice();
    subscriber.onNext(List.of(first));
    assertThat(t.spans.getFinishedSpanItems()).isEmpty(); // not at the headers, not mid-body
    subscriber.onNext(List.of(second));
    subscriber.onComplete();
    assertThat(subscriber.getBody().toCompletableFuture().get()).isEqualTo(SSE);

    List<SpanData> spans = t.spans.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
        .isEqualTo(2L);
    assertThat(
            spans
                .get(0)
                .getAttributes()
                .get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")))
        .isNotNull();
  }

  @Test
  void cancelAndErrorEndTheSpanOnce() throws Exception {
    LlmExchange exchange = t.startChat();
    HttpResponse.BodySubscriber<String> subscriber =
        new TeeBodyHandler<>(HttpResponse.BodyHandlers.ofString(), exchange)
            .apply(info(200, "application/json"));
    List<String> signals = new ArrayList<>();
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {
            signals.add("cancel");
          }
        });
    // ofString never cancels by itself: an InputStream closed early does
    LlmExchange streamExchange = t.startChat();
    HttpResponse.BodySubscriber<InputStream> stream =
        new TeeBodyHandler<>(HttpResponse.BodyHandlers.ofInputStream(), streamExchange)
            .apply(info(200, "text/event-stream"));
    stream.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {
            signals.add("stream-cancel");
          }
        });
    subscriber.onError(new IOException("reset"));
    subscriber.onError(new IOException("again"));
    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    stream.getBody().toCompletableFuture().join().close(); // the app closes its InputStream early
    assertThat(signals).contains("stream-cancel");
    assertThat(t.spans.getFinishedSpanItems()).hasSize(2);
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.stringKey("error.type")))
        .isEqualTo("java.io.IOException");
  }

  @Test
  void requestCopyKeepsEverythingButThePublisher() {
    LlmExchange exchange = t.startChat();
    HttpRequest original =
        HttpRequest.newBuilder(URI.create("http://llm.test:8000/v1/chat/completions"))
            .header("Authorization", "Bearer x")
            .header("X-Custom", "1")
            .version(HttpClient.Version.HTTP_1_1)
            .timeout(Duration.ofSeconds(7))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    HttpRequest copy = JdkHttpLlmSupport.teeRequest(original, exchange);
    assertThat(copy.bodyPublisher().orElseThrow()).isInstanceOf(TeeBodyPublisher.class);
    assertThat(copy.headers().map()).isEqualTo(original.headers().map());
    assertThat(copy.uri()).isEqualTo(original.uri());
    assertThat(copy.method()).isEqualTo("POST");
    assertThat(copy.version()).isEqualTo(original.version());
    assertThat(copy.timeout()).isEqualTo(original.timeout());
    assertThat(JdkHttpLlmSupport.teeRequest(copy, exchange)).isSameAs(copy);
    HttpRequest get = HttpRequest.newBuilder(original.uri()).GET().build();
    assertThat(JdkHttpLlmSupport.teeRequest(get, exchange)).isSameAs(get); // no body, no copy
  }

  private static String collect(HttpRequest.BodyPublisher publisher) {
    StringBuilder sb = new StringBuilder();
    publisher.subscribe(
        new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(ByteBuffer item) {
            byte[] b = new byte[item.remaining()];
            item.get(b);
            sb.append(new String(b, StandardCharsets.UTF_8));
          }

          @Override
          public void onError(Throwable throwable) {}

          @Override
          public void onComplete() {}
        });
    return sb.toString();
  }

  private static HttpResponse.ResponseInfo info(int status, String contentType) {
    HttpHeaders headers =
        HttpHeaders.of(Map.of("content-type", List.of(contentType)), (a, b) -> true);
    return new HttpResponse.ResponseInfo() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public HttpHeaders headers() {
        return headers;
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
  }
}
