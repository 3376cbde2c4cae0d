package io.llmobserve.pipeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.llmobserve.pipeline.http.BoundedHttpServer.Reply;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver's and /metrics' server under slow and hostile clients: slowloris headers and bodies,
 * a huge declared Content-Length, more requests than workers. Valid requests sent meanwhile are
 * answered promptly; nothing stalls.
 */
class BoundedHttpServerTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Socket> sockets = new ArrayList<>();
  private BoundedHttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    HttpLimits limits =
        new HttpLimits(
            2,
            64,
            Duration.ofSeconds(20),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            1024,
            4L << 20);
    server =
        BoundedHttpServer.builder("test", limits)
            .bind("127.0.0.1", 0)
            .route(
                "/echo",
                Set.of("POST"),
                1 << 20,
                c ->
                    Reply.of(
                        200,
                        "text/plain",
                        String.valueOf(c.body().length).getBytes(StandardCharsets.UTF_8),
                        "accepted"))
            .route(
                "/block",
                Set.of("POST"),
                1 << 20,
                c -> {
                  release.await(30, TimeUnit.SECONDS);
                  return Reply.text(200, "done", "accepted");
                })
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    for (Socket s : sockets) {
      s.close();
    }
    server.close();
  }

  private HttpResponse<String> post(String path, byte[] body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Socket open(String head) throws Exception {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(15_000);
    sockets.add(s);
    s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  private static String readAll(Socket s) throws Exception {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void slowClientsCostConnectionsNotThreadsAndAreCutOffByDeadlines() throws Exception {
    // 8 slowloris connections (headers never finished) and 8 bodies trickled: 4x the workers.
    List<Socket> slowHeaders = new ArrayList<>();
    List<Socket> slowBodies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      slowHeaders.add(open("POST /echo HTTP/1.1\r\nHost: x\r\n"));
      slowBodies.add(open("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc"));
    }
    // Valid requests go through at once meanwhile.
    long t0 = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = post("/echo", new byte[1000]);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("1000");
    }
    long validMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "slow clients: 10 valid requests during 16 slow connections took %d ms%n", validMillis);
    // The header deadline closes the slowloris connections, the body deadline answers 408.
    long t1 = System.nanoTime();
    for (Socket s : slowHeaders) {
      assertThat(readAll(s)).isEmpty();
    }
    for (Socket s : slowBodies) {
      assertThat(readAll(s)).startsWith("HTTP/1.1 408");
    }
    System.out.printf(
        "slow clients: all 16 cut off %d ms after the valid requests%n",
        (System.nanoTime() - t1) / 1_000_000);
    assertThat(server.count("*", "header_timeout")).isEqualTo(8);
    assertThat(server.count("/echo", BoundedHttpServer.TIMEOUT)).isEqualTo(8);
    assertThat(server.count("/echo", "accepted")).isEqualTo(10);
  }

  @Test
  void hugeContentLengthIsAnswered413BeforeTheBodyIsRead() throws Exception {
    long t0 = System.nanoTime();
    Socket s =
        open("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4294967296\r\n\r\n0123456789");
    String answer = readAll(s); // the server answers and closes without waiting for 4 GiB
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("4 GiB Content-Length: 413 after %d ms%n", ms);
    assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("Connection: close");
    assertThat(ms).isLessThan(10_000);
    assertThat(post("/echo", new byte[10]).statusCode()).isEqualTo(200);
  }

  @Test
  void moreRequestsThanWorkersAreShedWith503AndRetryAfter() throws Exception {
    // 2 workers + a queue of 8: 20 blocked requests -> at least 10 are refused at once.
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(
          HTTP.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/block"))
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> all.stream().filter(CompletableFuture::isDone).count() >= 10);
    List<HttpResponse<String>> shed =
        all.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
    assertThat(shed)
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(503);
              assertThat(r.headers().firstValue("Retry-After")).contains("1");
            });
    release.countDown();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isIn(200, 503);
    }
    assertThat(
            server.count("/block", "accepted")
                + server.count("/block", BoundedHttpServer.OVERLOADED))
        .isEqualTo(20);
    assertThat(server.count("/block", "accepted")).isEqualTo(10);
  }

  @Test
  void unknownPathsAndMethodsAreRefusedCleanly() throws Exception {
    assertThat(post("/nope", new byte[1]).statusCode()).isEqualTo(404);
    HttpResponse<String> get =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 431");
    } catch (SocketException reset) {
      // also acceptable: the server refused the oversized header by closing
    }
  }
}
