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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded mode, a task killed mid-stream (an injected failure right after the receiver's source):
 * every span answered 200 before, during and after the failover is counted exactly once. The
 * receiver log keeps requests until a checkpoint covers them and the source resumes from its
 * checkpointed position.
 */
class ReceiverFailoverIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final AtomicBoolean ARMED = new AtomicBoolean();
  static final AtomicInteger FAILURES = new AtomicInteger();

  /** Throws once, on the first request it sees after being armed: the whole job fails over. */
  static final class FailOnce implements MapFunction<byte[], byte[]> {
    @Override
    public byte[] map(byte[] value) {
      if (ARMED.compareAndSet(true, false)) {
        FAILURES.incrementAndGet();
        throw new IllegalStateException("injected task failure (ReceiverFailoverIT)");
      }
      return value;
    }
  }

  private static int send(EmbeddedPipeline p, int requests) throws Exception {
    int accepted = 0;
    for (int r = 0; r < requests; r++) {
      long now = System.currentTimeMillis();
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        spans.add(call("openai", "gpt-4o", now, 0.2).tokens(3, 1).build());
      }
      HttpResponse<String> resp =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.otlpPort() + "/v1/traces"))
                  .header("Content-Type", "application/x-protobuf")
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          request("failover", spans).toByteArray()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() == 200) {
        accepted += 10;
      } else {
        assertThat(resp.statusCode())
            .isEqualTo(503); // a refusal the exporter retries; never a loss
      }
    }
    return accepted;
  }

  @Test
  void spansAnswered200SurviveATaskFailover(@TempDir Path data) throws Exception {
    try (EmbeddedPipeline p =
        EmbeddedPipeline.start(
            PipelineConfig.defaultsWith(
                Map.of(
                    "data-dir",
                    data.toString(),
                    "otlp-host",
                    "127.0.0.1",
                    "otlp-port",
                    "0",
                    "metrics-port",
                    "0",
                    "window",
                    "1s",
                    "out-of-orderness",
                    "3s",
                    "idle-timeout",
                    "5s",
                    "checkpoint-interval",
                    "1s",
                    "parallelism",
                    "2")),
            s -> s.map(new FailOnce()).name("fail-once").uid("fail-once").setParallelism(1))) {
      int accepted = send(p, 30);
      // A checkpoint covered the first batch: the log was trimmed.
      await().atMost(Duration.ofSeconds(60)).until(() -> p.receiverLog().first() > 0);
      // /metrics is the process's, not the task's: it answers throughout the failover.
      AtomicInteger scrapes = new AtomicInteger();
      AtomicInteger failedScrapes = new AtomicInteger();
      AtomicBoolean scraping = new AtomicBoolean(true);
      Thread scraper =
          new Thread(
              () -> {
                while (scraping.get()) {
                  try {
                    PromText.scrape(p.metricsPort());
                    scrapes.incrementAndGet();
                  } catch (Exception e) {
                    failedScrapes.incrementAndGet();
                  }
                }
              },
              "scraper");
      scraper.start();
      ARMED.set(true);
      accepted += send(p, 30); // the first of these kills the task; all are in the log
      await().atMost(Duration.ofSeconds(30)).until(() -> FAILURES.get() == 1);
      accepted += send(p, 30); // while the job restarts
      int total = accepted;
      long t0 = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(
                          PromText.scrape(p.metricsPort())
                              .sum("llm_calls_total", "service=failover"))
                      .isEqualTo(total));
      scraping.set(false);
      scraper.join(30_000);
      int more = send(p, 10); // and after
      int all = total + more;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(
                          PromText.scrape(p.metricsPort())
                              .sum("llm_calls_total", "service=failover"))
                      .isEqualTo(all));
      PromText m = PromText.scrape(p.metricsPort());
      System.out.printf(
          "failover: %d spans answered 200, %d counted after 1 injected task failure (recovered and"
              + " caught up %d ms after the last pre-failover send); late %.0f; receiver log now %d requests%n",
          all,
          (long) m.sum("llm_calls_total", "service=failover"),
          (System.nanoTime() - t0) / 1_000_000,
          m.sum("llm_pipeline_late_spans_total"),
          p.receiverLog().size());
      System.out.printf(
          "failover: /metrics answered %d scrapes during the failover, %d failed%n",
          scrapes.get(), failedScrapes.get());
      assertThat(failedScrapes.get()).isZero();
      assertThat(scrapes.get()).isPositive();
      assertThat(FAILURES.get()).isEqualTo(1);
      assertThat(m.sum("llm_pipeline_spans_received_total")).isEqualTo(all);
      assertThat(m.sum("llm_pipeline_late_spans_total")).isZero();
    }
  }
}
