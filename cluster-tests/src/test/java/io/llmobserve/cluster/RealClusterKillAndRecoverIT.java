package io.llmobserve.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar on a real Flink session cluster fed by a real Kafka broker, every part a process
 * started from Maven artifacts (issue 9 item 2, issue 14's proofs):
 *
 * <ol>
 *   <li>a TaskManager killed with -9 mid-stream and replaced: every key's counts out = counts in,
 *       and a routing_change alert (the region changed after the kill) arrives on the alert topic;
 *   <li>the quiet-hour variant: after the stream ended, right after the first checkpoint that holds
 *       all of it (its last windows still open), the TaskManager is killed -9 and replaced; with no
 *       new record, every key's counts reach the input's within DESIGN.md's restore bound.
 * </ol>
 *
 * otlp_spans has three partitions and partition 2 never receives a record, and otlp_metrics stays
 * empty: every window above is published with empty inputs present (issue 14's partition test). One
 * broker, one cluster and one job serve both scenarios (the second continues the first's counts).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealClusterKillAndRecoverIT {
  static final int SERVICES = 12;
  static final int LLM_SPANS_PER_RECORD = 4;
  static final String ROUTED = "svc-0"; // the key whose region changes after the first kill
  static final Duration WINDOW = Duration.ofSeconds(1);
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);

  /**
   * A production-like idle timeout. A restored reader's first fetch of its backlog took 20 s on
   * this 2-core machine under load 45; the Kafka start-up grace (DESIGN.md "Event time", rule 4: 30
   * s) covers that, where a 10 s grace had turned the whole backlog late (8,200 of 8,208 calls).
   */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  /** DESIGN.md "Event time", rule 4: a Kafka input's start-up grace, max(idle-timeout, 30 s). */
  static final Duration START_UP_GRACE =
      IDLE_TIMEOUT.compareTo(Duration.ofSeconds(30)) > 0 ? IDLE_TIMEOUT : Duration.ofSeconds(30);

  /** Bounded extra time for a 2-core machine shared with parallel builds. */
  static final Duration LOADED_MACHINE_SLACK = Duration.ofSeconds(30);

  /** On a failure, the tails of the processes' logs (the full logs are in the temp dir). */
  @RegisterExtension static final Extension PROCESS_LOGS = new ProcessLogsOnFailure();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path work;

  static KafkaBroker kafka;
  static FlinkSessionCluster flink;
  static JvmProcess taskManager;
  static KafkaProducer<byte[], byte[]> producer;
  static Scrapes metrics;
  static String jobId;

  static final long[] callsSent = new long[SERVICES];
  static final AtomicLong plainSpansSent = new AtomicLong();
  static final AtomicLong recordsSent = new AtomicLong();

  @BeforeAll
  static void startBrokerClusterAndJob() throws Exception {
    Path jobJar = Path.of(System.getProperty("llm.job.jar"));
    assertThat(jobJar).as("build the pipeline first (mvn -pl pipeline package)").exists();
    // One JVM start at a time where it matters: on a starved machine parallel starts time out.
    flink =
        FlinkSessionCluster.start(
            work.resolve("flink"), JvmProcess.readClasspath("llm.flink.classpath.file"));
    kafka =
        KafkaBroker.start(
            work.resolve("kafka"), JvmProcess.readClasspath("llm.kafka.classpath.file"));
    taskManager = flink.startTaskManager(); // while the broker starts
    kafka.awaitReady(Duration.ofMinutes(3));
    kafka.createTopic("otlp_spans", 3); // partition 2 never receives a record
    kafka.createTopic("otlp_metrics", 1); // no agent metrics in this test: an empty input
    kafka.createTopic("llm_alerts", 1);
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap);
    p.put("acks", "all");
    // Exactly what is sent, once: no idempotent-sequence retries on a loaded machine
    // (recordsIn() checks the topic holds exactly the records sent).
    p.put("enable.idempotence", "false");
    p.put("max.in.flight.requests.per.connection", "1");
    p.put("request.timeout.ms", "60000");
    p.put("delivery.timeout.ms", "180000");
    p.put("linger.ms", "5");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

    flink.awaitFreeSlots(2, Duration.ofMinutes(3));
    int metricsPort = JvmProcess.freePort();
    // The same command as README/docker-compose (flink run ... --source kafka ...), with short
    // windows and checkpoints so the test runs in seconds.
    jobId =
        flink.submit(
            jobJar,
            List.of(
                "--source",
                "kafka",
                "--kafka-bootstrap",
                kafka.bootstrap,
                "--kafka-topic",
                "otlp_spans",
                "--alerts-topic",
                "llm_alerts",
                "--metrics-port",
                Integer.toString(metricsPort),
                "--parallelism",
                "2",
                "--window",
                seconds(WINDOW),
                "--out-of-orderness",
                seconds(OUT_OF_ORDERNESS),
                "--idle-timeout",
                seconds(IDLE_TIMEOUT),
                "--checkpoint-interval",
                seconds(CHECKPOINT_INTERVAL)));
    metrics = new Scrapes(metricsPort);
    awaitCluster(Duration.ofMinutes(3)).until(() -> flink.allTasksRunning(jobId));
    awaitCluster(Duration.ofMinutes(2)).until(() -> metrics.scrape() != null);
  }

  @AfterAll
  static void stopEverything() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (flink != null) {
      flink.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  @Order(1)
  void aTaskManagerKilledMidStreamLosesAndDoublesNothingAndAlertsStillArrive() throws Exception {
    AtomicInteger tick = new AtomicInteger();
    AtomicInteger lastTick = new AtomicInteger(Integer.MAX_VALUE);
    ConcurrentLinkedQueue<Future<?>> sends = new ConcurrentLinkedQueue<>();
    CompletableFuture<Void> streamEnded = new CompletableFuture<>();
    ScheduledExecutorService exporter = Executors.newSingleThreadScheduledExecutor();
    AtomicReference<String> region = new AtomicReference<>("East US 2");
    try {
      // One batch per key every 100 ms, as a Collector exporting 12 services would.
      exporter.scheduleAtFixedRate(
          () -> {
            try {
              int t = tick.incrementAndGet();
              exportBatch(region.get(), sends);
              if (t >= lastTick.get()) {
                streamEnded.complete(null);
                throw new IllegalStateException("stream ended"); // cancels the schedule
              }
            } catch (RuntimeException e) {
              streamEnded.complete(null);
              throw e;
            }
          },
          0,
          100,
          TimeUnit.MILLISECONDS);

      // Kill once a checkpoint holds part of the stream (its counters are on /metrics).
      awaitCluster(Duration.ofMinutes(2))
          .until(() -> metrics.scrape().sum("llm_pipeline_spans_received_total") > 0);
      long killedAt = System.currentTimeMillis();
      taskManager.kill9();
      int killTick = tick.get();
      region.set("Sweden Central"); // svc-0 is now served elsewhere: routing_change
      lastTick.set(Math.max(150, killTick + 50)); // the stream goes on for 5 s after the kill
      taskManager = flink.startTaskManager();
      long tmStarted = System.nanoTime();
      awaitCluster(Duration.ofMinutes(3))
          .until(
              () -> flink.lastRestoreTimestamp(jobId) >= killedAt && flink.allTasksRunning(jobId));
      System.out.printf(
          "RealClusterKillAndRecoverIT mid-stream kill at tick %d: new TaskManager -> job running"
              + " again from its checkpoint %.1f s%n",
          killTick, (System.nanoTime() - tmStarted) / 1e9);
      streamEnded.get(3, TimeUnit.MINUTES);
    } finally {
      exporter.shutdownNow();
    }
    for (Future<?> f : sends) {
      f.get(); // a failed send must fail the test, not look like a lost record
    }
    long lastSpan = System.nanoTime();
    assertThat(kafka.recordsIn("otlp_spans")).as("records in").isEqualTo(recordsSent.get());

    awaitAllCounted(Duration.ofMinutes(2).plus(LOADED_MACHINE_SLACK));
    System.out.printf(
        "RealClusterKillAndRecoverIT live stream: last span -> its window published %.1f s"
            + " (window %s, out-of-orderness %s, idle-timeout %s, checkpoints %s)%n",
        (System.nanoTime() - lastSpan) / 1e9,
        WINDOW,
        OUT_OF_ORDERNESS,
        IDLE_TIMEOUT,
        CHECKPOINT_INTERVAL);

    List<String> alerts = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = alertsConsumer()) {
      awaitCluster(Duration.ofMinutes(1))
          .untilAsserted(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> alerts.add(r.key() + " " + r.value()));
                assertThat(alerts)
                    .anyMatch(
                        a ->
                            a.startsWith("routing_change|" + ROUTED + "|openai|")
                                && a.contains("\"state\":\"firing\"")
                                && a.contains("Sweden Central"));
              });
    }
  }

  @Test
  @Order(2)
  void aQuietHourKillRightAfterTheStreamsLastCheckpointPublishesEveryWindowWithoutNewInput()
      throws Exception {
    ConcurrentLinkedQueue<Future<?>> sends = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 5; i++) {
      exportBatch("Sweden Central", sends);
    }
    producer.flush();
    for (Future<?> f : sends) {
      f.get();
    }
    long lastSpanMillis = System.currentTimeMillis();
    long expected = totalCalls();
    long spans = expected + plainSpansSent.get();
    // The first checkpoint that follows the end of the stream: the one whose counters show every
    // span received. Its last windows are still open (out-of-orderness + idle-timeout): kill then.
    Scrapes.Scrape atKill =
        awaitCluster(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(100))
            .until(metrics::scrape, s -> s.sum("llm_pipeline_spans_received_total") == spans);
    long killedAt = System.currentTimeMillis();
    taskManager.kill9();
    assertThat(atKill.sum("llm_calls_total"))
        .as("windows still open in the checkpoint the job restores")
        .isLessThan(expected);
    taskManager = flink.startTaskManager();
    long tmStarted = System.nanoTime();
    awaitCluster(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> flink.lastRestoreTimestamp(jobId) >= killedAt && flink.allTasksRunning(jobId));
    long running = System.nanoTime();
    long runningMillis = System.currentTimeMillis();

    // DESIGN.md "Event time": a job restored with no new input publishes every restored window by
    // max(start-up grace, E + out-of-orderness + idle-timeout - restore time) + 0.2 s + one
    // checkpoint interval after it runs (E = end of the last window).
    long lastWindowEnd = (lastSpanMillis / WINDOW.toMillis() + 1) * WINDOW.toMillis();
    long boundMillis =
        Math.max(
                START_UP_GRACE.toMillis(),
                lastWindowEnd
                    + OUT_OF_ORDERNESS.toMillis()
                    + IDLE_TIMEOUT.toMillis()
                    - runningMillis)
            + 200
            + CHECKPOINT_INTERVAL.toMillis();
    awaitAllCounted(Duration.ofMillis(boundMillis).plus(LOADED_MACHINE_SLACK));
    double fromRunning = (System.nanoTime() - running) / 1e9;
    System.out.printf(
        "RealClusterKillAndRecoverIT quiet-hour kill: new TaskManager -> job running %.1f s;"
            + " job running -> last window published %.1f s (bound %.1f s); last span -> last"
            + " window published %.1f s%n",
        (running - tmStarted) / 1e9,
        fromRunning,
        boundMillis / 1e3,
        (System.currentTimeMillis() - lastSpanMillis) / 1e3);
    assertThat(kafka.recordsIn("otlp_spans")).as("no new input").isEqualTo(recordsSent.get());
  }

  /** Every key's calls and tokens on /metrics equal what was sent; nothing late, nothing lost. */
  static void awaitAllCounted(Duration within) {
    awaitCluster(within)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Scrapes.Scrape m = metrics.scrape();
              for (int k = 0; k < SERVICES; k++) {
                String service = "service=svc-" + k;
                assertThat(m.sum("llm_calls_total", service)).as(service).isEqualTo(callsSent[k]);
                assertThat(m.sum("llm_tokens_total", service, "type=input"))
                    .as(service + " input tokens")
                    .isEqualTo(100.0 * callsSent[k]);
              }
              assertThat(m.sum("llm_pipeline_spans_received_total"))
                  .as("every span received, LLM calls and plain HTTP spans")
                  .isEqualTo(totalCalls() + plainSpansSent.get());
              assertThat(m.sum("llm_pipeline_spans_dropped_total", "reason=not_genai"))
                  .isEqualTo(plainSpansSent.get());
              assertThat(m.sum("llm_pipeline_late_spans_total")).isZero();
              assertThat(m.sum("llm_pipeline_malformed_requests_total")).isZero();
            });
    assertThat(metrics.backwards()).as("counters that went backwards").isEmpty();
  }

  /**
   * One OTLP record per key, as the Collector's Kafka exporter writes them (otlp_proto: one
   * ExportTraceServiceRequest per record, stamped at export): 4 LLM calls and 1 plain HTTP span.
   * Keys alternate between partitions 0 and 1; partition 2 stays empty.
   */
  static synchronized void exportBatch(
      String routedRegion, ConcurrentLinkedQueue<Future<?>> sends) {
    long now = System.currentTimeMillis();
    for (int k = 0; k < SERVICES; k++) {
      String service = "svc-" + k;
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < LLM_SPANS_PER_RECORD; i++) {
        spans.add(
            llmCall(now - 20 - i * 5L, k == 0 ? routedRegion : "East US 2", i == 0 && k % 3 == 0));
      }
      spans.add(plainHttpSpan(now - 3));
      sends.add(
          producer.send(
              new ProducerRecord<>(
                  "otlp_spans", k % 2, now, null, request(service, spans).toByteArray())));
      callsSent[k] += LLM_SPANS_PER_RECORD;
      plainSpansSent.incrementAndGet();
      recordsSent.incrementAndGet();
    }
  }

  static long totalCalls() {
    long s = 0;
    for (long c : callsSent) {
      s += c;
    }
    return s;
  }

  static Span llmCall(long endMillis, String region, boolean throttled) {
    long end = endMillis * 1_000_000L;
    Span.Builder s = span("chat gpt-4o", end - 300_000_000L, end);
    attr(s, "gen_ai.provider.name", "openai");
    attr(s, "gen_ai.operation.name", "chat");
    attr(s, "gen_ai.request.model", "gpt-4o");
    attr(s, "gen_ai.response.model", "gpt-4o-2024-08-06");
    attr(s, "server.address", "api.openai.com");
    attr(s, "llm.hosting.provider", "azure");
    attr(s, "llm.hosting.region", region);
    s.addAttributes(intAttr("gen_ai.usage.input_tokens", 100));
    s.addAttributes(intAttr("gen_ai.usage.output_tokens", 10));
    s.addAttributes(intAttr("http.response.status_code", throttled ? 429 : 200));
    return s.build();
  }

  /** An HTTP client span of the upstream agent (no gen_ai attributes): counted and dropped. */
  static Span plainHttpSpan(long endMillis) {
    long end = endMillis * 1_000_000L;
    Span.Builder s = span("GET", end - 5_000_000L, end);
    attr(s, "http.request.method", "GET");
    attr(s, "server.address", "inventory.internal");
    s.addAttributes(intAttr("http.response.status_code", 200));
    return s.build();
  }

  static Span.Builder span(String name, long startNanos, long endNanos) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    byte[] trace = new byte[16];
    r.nextBytes(trace);
    return Span.newBuilder()
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setTraceId(ByteString.copyFrom(trace))
        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(r.nextLong()).array()))
        .setName(name)
        .setStartTimeUnixNano(startNanos)
        .setEndTimeUnixNano(endNanos);
  }

  static void attr(Span.Builder s, String key, String value) {
    s.addAttributes(
        KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)));
  }

  static KeyValue intAttr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  static ExportTraceServiceRequest request(String service, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("io.llmobserve.agent"))
                        .addAllSpans(spans)))
        .build();
  }

  static KafkaConsumer<String, String> alertsConsumer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrap);
    p.put("group.id", "alerts-reader");
    p.put("auto.offset.reset", "earliest");
    KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    c.subscribe(List.of("llm_alerts"));
    return c;
  }

  static org.awaitility.core.ConditionFactory awaitCluster(Duration atMost) {
    return await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
  }

  static final class ProcessLogsOnFailure
      implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t)
        throws Throwable {
      printLogs();
      throw t;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t)
        throws Throwable {
      printLogs();
      throw t;
    }

    private static void printLogs() {
      if (flink != null) {
        System.out.println(flink.logs(60));
      }
      if (kafka != null) {
        System.out.println(kafka.tail(30));
      }
    }
  }

  static String seconds(Duration d) {
    return d.toMillis() + "ms";
  }
}
