package io.llmobserve.agent.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.llmobserve.agent.common.AbandonWatch;
import io.llmobserve.agent.common.Gc;
import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.TestTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real JDK client with our handler: a stream whose body InputStream the app drops unread (the
 * server keeps the stream open) ends its span at the idle deadline (the JDK keeps the body
 * reachable until it ends, so reachability cannot tell); one being read does not.
 */
class JdkAbandonedBodyTest {
  private static final String CHUNK = "data: {\"id\":\"c1\",\"model\":\"m-1\",\"choices\":[]}\n\n";

  private final TestTelemetry t = new TestTelemetry(new AbandonWatch(800));
  private final CountDownLatch release = new CountDownLatch(1);
  private ExecutorService executor;
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/v1/chat/completions",
        ex -> {
          ex.getResponseHeaders().add("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(CHUNK.getBytes(StandardCharsets.UTF_8));
            out.flush();
            release.await(30, TimeUnit.SECONDS); // a stream that stays open
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException ignored) {
            // the client went away
          }
        });
    server.start();
    client = HttpClient.newHttpClient();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
    t.close();
  }

  @Test
  void aBodyStreamDroppedUnreadEndsTheSpanAtTheIdleDeadline() throws Exception {
    LlmExchange exchange = t.startChat();
    assertThat(sendAndLookAtHeadersOnly(exchange)).isEqualTo(200);
    await("span ended after the idle deadline")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !t.spans.getFinishedSpanItems().isEmpty());
    assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    assertThat(
            t.spans
                .getFinishedSpanItems()
                .get(0)
                .getAttributes()
                .get(AttributeKey.stringKey("error.type")))
        .isEqualTo(AbandonWatch.IDLE_TIMEOUT);
  }

  @Test
  void aBodyStreamHeldAndReadEndsNormallyOnClose() throws Exception {
    try (TestTelemetry patient = new TestTelemetry(new AbandonWatch(60_000))) {
      LlmExchange exchange = patient.startChat();
      HttpResponse<InputStream> response = client.send(request(), handler(exchange));
      // GC or waiting (well inside the deadline) never ends a held stream
      Gc.holdsThroughGc("held stream open", () -> patient.spans.getFinishedSpanItems().isEmpty());
      try (InputStream in = response.body()) {
        byte[] first = in.readNBytes(CHUNK.length());
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(CHUNK);
      }
      assertThat(patient.spans.getFinishedSpanItems()).hasSize(1);
      assertThat(
              patient
                  .spans
                  .getFinishedSpanItems()
                  .get(0)
                  .getAttributes()
                  .get(AttributeKey.stringKey("error.type")))
          .isNull();
    }
  }

  private int sendAndLookAtHeadersOnly(LlmExchange exchange) throws Exception {
    HttpResponse<InputStream> response = client.send(request(), handler(exchange));
    return response.statusCode();
  }

  @SuppressWarnings("unchecked")
  private static HttpResponse.BodyHandler<InputStream> handler(LlmExchange exchange) {
    return JdkHttpLlmSupport.teeResponse(HttpResponse.BodyHandlers.ofInputStream(), exchange);
  }

  private HttpRequest request() {
    return HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m-1\",\"stream\":true}"))
        .build();
  }
}
