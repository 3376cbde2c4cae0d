package io.llmobserve.pipeline.job;

import static io.llmobserve.pipeline.bench.OtlpPayloads.call;
import static io.llmobserve.pipeline.bench.OtlpPayloads.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-time rule (DESIGN.md, "Event time") in embedded mode: a job restored from a checkpoint
 * with its last windows open publishes them without any new input, within the bound; a pause in
 * arrivals on a loaded pipeline turns no span into a late one.
 */
class EventTimeIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final int KEYS = 20;

  static Map<String, String> base(Path checkpoints) {
    Map<String, String> m =
        new HashMap<>(
            Map.of(
                "otlp-host",
                "127.0.0.1",
                "otlp-port",
                "0",
                "metrics-port",
                "0",
                "window",
                "1s",
                "idle-timeout",
                "500ms",
                "checkpoint-interval",
                "300ms",
                "parallelism",
                "2",
                "checkpoint-dir",
                checkpoints.toString()));
    m.put("alerts-out", checkpoints.resolve("alerts.jsonl").toString());
    return m;
  }

  static int send(int port, List<Span> spans, String service) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request(service, spans).toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /**
   * {@code perKey} calls for each of the {@link #KEYS} services, ending now. Sent as an OTLP
   * exporter would: a 503 (the receiver log is full: back-pressure) is retried after a short
   * backoff, with the spans stamped anew (a span that ends now is on time whenever it is sent).
   */
  static void sendNow(int port, int perKey) throws Exception {
    for (int k = 0; k < KEYS; k++) {
      for (int attempt = 0; ; attempt++) {
        long now = System.currentTimeMillis();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
          spans.add(call("openai", "gpt-4o", now - i, 0.3).tokens(10, 1).build());
        }
        int status = send(port, spans, "svc-" + k);
        if (status == 503 && attempt < 100) {
          LockSupport.parkNanos(50_000_000L); // the exporter's backoff
          continue;
        }
        assertThat(status).isEqualTo(200);
        break;
      }
    }
  }

  static void assertEveryKey(PromText m, double perKey) {
    for (int k = 0; k < KEYS; k++) {
      assertThat(m.sum("llm_calls_total", "service=svc-" + k)).as("svc-" + k).isEqualTo(perKey);
    }
  }

  @Test
  void aJobRestartedWithItsLastWindowsOpenPublishesThemWithoutNewInput(@TempDir Path dir)
      throws Exception {
    Map<String, String> cfg = base(dir);
    // Windows stay open for 10 s after their spans arrive, so a checkpoint catches them open.
    cfg.put("out-of-orderness", "10s");
    CounterWatch counters = new CounterWatch(); // one timeline across the cancel and the restore
    int perKey = 25;
    Path restoreFrom;
    double publishedBeforeCancel;
    try (EmbeddedPipeline p = EmbeddedPipeline.start(PipelineConfig.defaultsWith(cfg))) {
      sendNow(p.otlpPort(), perKey);
      // Counters show a completed checkpoint: once it holds every received span, the window
      // state of that checkpoint holds them all (read before its barrier).
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  counters.scrape(p.metricsPort()).sum("llm_pipeline_spans_received_total")
                      == KEYS * perKey);
      publishedBeforeCancel = counters.scrape(p.metricsPort()).sum("llm_calls_total");
    }
    // the newest checkpoint once the job is gone (checkpoints keep completing until the cancel)
    restoreFrom = lastCheckpointPath(dir).orElseThrow();
    assertThat(publishedBeforeCancel)
        .as("windows still open at the checkpoint")
        .isLessThan(KEYS * perKey);

    // A plain restart, same settings: it resumes from the latest checkpoint by itself (issue 11).
    long restoreStart = System.nanoTime();
    try (EmbeddedPipeline p = EmbeddedPipeline.start(PipelineConfig.defaultsWith(cfg))) {
      long running = System.nanoTime();
      assertThat(Path.of(p.config().restoreFrom)).isEqualTo(restoreFrom);
      // Bound: start-up grace (10 s) + out-of-orderness (10 s) + window (1 s) + a checkpoint
      // (0.3 s), plus a loaded machine's slack.
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertEveryKey(counters.scrape(p.metricsPort()), perKey));
      long done = System.nanoTime();
      System.out.printf(
          "EventTimeIT embedded restore: job start %.1f s, restore -> last window published %.1f s%n",
          (running - restoreStart) / 1e9, (done - restoreStart) / 1e9);
      PromText m = counters.scrape(p.metricsPort());
      assertThat(m.sum("llm_calls_total")).isEqualTo(KEYS * perKey);
      assertThat(m.sum("llm_pipeline_late_spans_total")).isZero();
    }
  }

  @Test
  void aPauseOfSeveralIdleTimeoutsOnALoadedPipelineLosesNothingAsLate(@TempDir Path dir)
      throws Exception {
    Map<String, String> cfg = base(dir);
    cfg.put("out-of-orderness", "1s");
    cfg.put("queue-capacity", "8"); // a backlog that backs up into the senders
    CounterWatch counters = new CounterWatch();
    int perKey = 0;
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try (EmbeddedPipeline p = EmbeddedPipeline.start(PipelineConfig.defaultsWith(cfg))) {
      for (int burst = 0; burst < 3; burst++) {
        List<Future<?>> sent = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          sent.add(
              senders.submit(
                  () -> {
                    for (int r = 0; r < 10; r++) {
                      sendNow(p.otlpPort(), 10);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : sent) {
          f.get();
        }
        perKey += 4 * 10 * 10;
        long lastSpan = System.nanoTime();
        if (burst == 2) {
          int expected = perKey;
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .untilAsserted(() -> assertEveryKey(counters.scrape(p.metricsPort()), expected));
          System.out.printf(
              "EventTimeIT embedded: last span -> its window published %.1f s%n",
              (System.nanoTime() - lastSpan) / 1e9);
        } else {
          Thread.sleep(2_000); // the pause under test: 4 idle timeouts without arrivals
        }
      }
      PromText m = counters.scrape(p.metricsPort());
      assertThat(m.sum("llm_pipeline_late_spans_total")).isZero();
      assertThat(m.sum("llm_calls_total")).isEqualTo(KEYS * perKey);
    } finally {
      senders.shutdownNow();
    }
  }

  static Optional<Path> lastCheckpointPath(Path dir) throws Exception {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> jobs = Files.list(dir)) {
      for (Path job : jobs.filter(Files::isDirectory).toList()) {
        try (Stream<Path> s = Files.list(job)) {
          s.filter(p -> p.getFileName().toString().startsWith("chk-"))
              .filter(p -> Files.exists(p.resolve("_metadata")))
              .forEach(found::add);
        }
      }
    }
    return found.stream()
        .max(
            Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
  }
}
