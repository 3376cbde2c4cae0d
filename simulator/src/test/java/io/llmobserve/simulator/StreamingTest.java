package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streams are really paced: chunks leave the server one by one over time, on HTTP/1.1 and HTTP/2.
 */
class StreamingTest {
  static final long INTERVAL_MS = 40;
  static final int TOKENS = 10;
  static LlmSimulator sim;

  @BeforeAll
  static void start() {
    sim =
        LlmSimulator.builder()
            .seed(8)
            .profile(Profile.fast().toBuilder().ttftMs(150).chunkIntervalMs(INTERVAL_MS))
            .start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** Arrival time (ms since the request was sent) of each "data:" line. */
  private static List<Long> arrivals(HttpClient client, String path, String body) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r =
        client.send(
            HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    List<Long> times = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("data:")) {
          times.add((System.nanoTime() - t0) / 1_000_000);
        }
      }
    }
    return times;
  }

  private static void assertPaced(List<Long> times) {
    // TTFT: nothing arrives before ~150 ms.
    assertThat(times.get(0)).isGreaterThanOrEqualTo(140);
    // 10 content chunks + finish chunk are 10 gaps of 40 ms apart: ≥ 400 ms planned; allow for
    // scheduling slack.
    long spread = times.get(times.size() - 1) - times.get(0);
    assertThat(spread).isGreaterThanOrEqualTo((TOKENS - 1) * INTERVAL_MS * 3 / 4);
    long distinct = times.stream().map(t -> t / 15).distinct().count();
    assertThat(distinct)
        .isGreaterThanOrEqualTo(TOKENS / 2); // arrived in many separate bursts, not one
  }

  @Test
  void http11ChunksArriveOverTime() throws Exception {
    List<Long> times = arrivals(TestHttp.H1, "/v1/chat/completions", chat("gpt-4o", true, TOKENS));
    assertThat(times).hasSize(TOKENS + 4); // role, contents, finish, usage, [DONE]
    assertPaced(times);
    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.bodyWrites())
        .isEqualTo(TOKENS + 1); // role+first content, 9 contents, finish+usage+done
    assertThat(e.httpVersion()).isEqualTo("HTTP/1.1");
  }

  @Test
  void anthropicStreamOverH2cUpgradeIsPaced() throws Exception {
    TestHttp.H2.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sim/health")).build(),
        HttpResponse.BodyHandlers.discarding());
    List<Long> times =
        arrivals(
            TestHttp.H2, "/v1/messages", TestHttp.anthropic("claude-sonnet-4-5", true, TOKENS));
    assertPaced(times);
    assertThat(sim.lastExchange().orElseThrow().httpVersion()).isEqualTo("HTTP/2.0");
  }

  @Test
  void h2cPriorKnowledgeWithOkHttp() throws Exception {
    OkHttpClient client =
        new OkHttpClient.Builder()
            .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
            .readTimeout(10, TimeUnit.SECONDS)
            .build();
    try {
      long t0 = System.nanoTime();
      Request req =
          new Request.Builder()
              .url(
                  sim.baseUrl()
                      + "/openai/deployments/gpt-4o-eastus2/chat/completions"
                      + "?api-version=2024-10-21")
              .post(
                  RequestBody.create(
                      chat("gpt-4o", true, TOKENS), MediaType.get("application/json")))
              .build();
      List<Long> times = new ArrayList<>();
      try (Response resp = client.newCall(req).execute()) {
        assertThat(resp.code()).isEqualTo(200);
        assertThat(resp.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
        assertThat(resp.header("x-ms-region")).isEqualTo("East US 2");
        BufferedSource source = resp.body().source();
        String line;
        while ((line = source.readUtf8Line()) != null) {
          if (line.startsWith("data:")) {
            times.add((System.nanoTime() - t0) / 1_000_000);
          }
        }
      }
      assertPaced(times);
      assertThat(sim.lastExchange().orElseThrow().httpVersion()).isEqualTo("HTTP/2.0");
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  @Test
  void concurrentStreamsArePacedIndependently() throws Exception {
    // 20 streams at once finish in about one stream's time: pacing uses a scheduler, not a thread
    // per stream (nor one stream after another). Compared with one stream timed in the same run,
    // so a loaded machine slows both alike.
    long t1 = System.nanoTime();
    assertThat(stream().get(60, TimeUnit.SECONDS).body()).endsWith("data: [DONE]\n\n");
    long one = System.nanoTime() - t1;
    long t0 = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(stream());
    }
    for (var f : all) {
      assertThat(f.get(60, TimeUnit.SECONDS).body()).endsWith("data: [DONE]\n\n");
    }
    long twenty = System.nanoTime() - t0;
    assertThat(twenty)
        .as(
            "20 concurrent streams (%d ms) against one (%d ms)",
            twenty / 1_000_000, one / 1_000_000)
        .isLessThan(10 * one); // sequential pacing would take ~20x
  }

  private CompletableFuture<HttpResponse<String>> stream() {
    return TestHttp.H1.sendAsync(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(chat("gpt-4o", true, TOKENS)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void clientGoingAwayMidStreamIsRecordedAsAborted() throws Exception {
    String body = chat("gpt-4o", true, 60);
    try (Socket socket = new Socket("127.0.0.1", sim.port())) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                      + "\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.UTF_8));
      byte[] buf = new byte[512];
      assertThat(socket.getInputStream().read(buf)).isPositive(); // headers and first chunk arrived
    }
    Exchange aborted =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> sim.exchanges().stream().filter(Exchange::aborted).findFirst(),
                Optional::isPresent)
            .orElseThrow();
    assertThat(aborted.outputTokens())
        .isEqualTo(60); // planned values; the client saw only a prefix
  }
}
