package io.llmobserve.pipeline.job;

import static io.llmobserve.pipeline.bench.OtlpPayloads.call;
import static io.llmobserve.pipeline.bench.OtlpPayloads.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.decode.OtlpJsonTest;
import io.llmobserve.pipeline.sink.MetricsSink;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode against an in-JVM Kafka broker: the Collector's otlp_proto (and otlp_json) records
 * in, exact counts on /metrics out, and a cancel-and-restore from a retained checkpoint that
 * neither loses nor double-counts.
 */
class KafkaPipelineIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  private static KafkaClusterTestKit kafka;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("acks", "all");
    // The in-JVM broker shares 2 cores with Flink: long request timeouts and no idempotent
    // sequence juggling (retries after a timeout raised OutOfOrderSequenceException here).
    // recordsIn() checks the topic holds exactly what was sent, no more, no less.
    p.put("enable.idempotence", "false");
    p.put("max.in.flight.requests.per.connection", "1");
    p.put("request.timeout.ms", "60000");
    p.put("delivery.timeout.ms", "180000");
    p.put("linger.ms", "5");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  static void createTopic(String name) throws Exception {
    createTopic(name, 2);
  }

  static void createTopic(String name, int partitions) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }
  }

  /**
   * One record per service (svc-0..svc-{services-1}) of {@code spansPer} calls ending now, into
   * {@code partition}, stamped now as the Collector's exporter would.
   */
  static void produceNow(String topic, int partition, int services, int spansPer) throws Exception {
    List<Future<?>> sent = new ArrayList<>();
    for (int k = 0; k < services; k++) {
      long now = System.currentTimeMillis();
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < spansPer; i++) {
        spans.add(call("openai", "gpt-4o", now - i, 0.2).tokens(100, 10).build());
      }
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topic, partition, now, null, request("svc-" + k, spans).toByteArray())));
    }
    producer.flush();
    for (var f : sent) {
      f.get();
    }
  }

  /**
   * {@code requests} records of {@code spansPer} calls each (openai gpt-4o, 100 in / 10 out
   * tokens).
   */
  static void produce(String topic, int requests, int spansPer) throws Exception {
    List<Future<?>> sent = new ArrayList<>();
    for (int r = 0; r < requests; r++) {
      long now = System.currentTimeMillis();
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < spansPer; i++) {
        spans.add(
            call("openai", "gpt-4o", now - i, 0.2)
                .tokens(100, 10)
                .status(i == 0 ? 429 : 200)
                .build());
      }
      sent.add(
          producer.send(
              new ProducerRecord<>(topic, request("svc-" + (r % 3), spans).toByteArray())));
    }
    producer.flush();
    for (var f : sent) {
      f.get(); // a failed send must fail the test, not look like a lost record
    }
  }

  static PipelineConfig config(String topic, Map<String, String> extra) {
    Map<String, String> m =
        new HashMap<>(
            Map.of(
                "source",
                "kafka",
                "kafka-bootstrap",
                kafka.bootstrapServers(),
                "kafka-topic",
                topic,
                "kafka-group",
                "g-" + topic,
                "metrics-port",
                "0",
                "window",
                "1s",
                "out-of-orderness",
                "1s",
                "idle-timeout",
                "500ms",
                "checkpoint-interval",
                "500ms"));
    m.put("alerts-topic", topic + "-alerts");
    m.put("parallelism", "2");
    m.putAll(extra);
    return PipelineConfig.defaultsWith(m);
  }

  static int metricsPort(String endpoint, JobClient job) throws Exception {
    return EmbeddedPipeline.awaitMetricsPort(endpoint, job, Duration.ofSeconds(60));
  }

  @Test
  void collectorRecordsToExactCountsAndMalformedRecordsCounted() throws Exception {
    String topic = "otlp_spans_" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(topic);
    produce(topic, 30, 5);
    producer.send(new ProducerRecord<>(topic, new byte[] {(byte) 0xff, 0x00, 0x13})).get();
    producer.send(new ProducerRecord<>(topic, (byte[]) null)).get(); // tombstone: an empty request
    // A Collector with encoding: otlp_json writes OTLP/JSON records: 4 more calls of svc-json.
    long now = System.currentTimeMillis();
    List<Span> jsonCalls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      jsonCalls.add(call("openai", "gpt-4o", now - i, 0.2).tokens(100, 10).build());
    }
    producer
        .send(
            new ProducerRecord<>(topic, OtlpJsonTest.collectorJson(request("svc-json", jsonCalls))))
        .get();
    assertThat(recordsIn(topic)).as("records in the topic").isEqualTo(33);

    String endpoint = "kafka-" + topic;
    CounterWatch counters = new CounterWatch();
    JobClient job =
        ClusterPipeline.start(
            StreamExecutionEnvironment.getExecutionEnvironment(),
            config(topic, Map.of()),
            endpoint);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                PromText m = counters.scrape(metricsPort(endpoint, job));
                assertThat(m.sum("llm_calls_total")).isEqualTo(154);
                assertThat(m.sum("llm_pipeline_malformed_requests_total")).isEqualTo(1);
              });
      PromText m = counters.scrape(metricsPort(endpoint, job));
      assertThat(m.sum("llm_calls_total", "outcome=throttled")).isEqualTo(30);
      assertThat(m.sum("llm_calls_total", "service=svc-0")).isEqualTo(50);
      assertThat(m.sum("llm_calls_total", "service=svc-json")).isEqualTo(4);
      assertThat(m.sum("llm_tokens_total", "type=input")).isEqualTo(15_400);
      assertThat(m.sum("llm_tokens_total", "type=output")).isEqualTo(1_540);
      assertThat(m.sum("llm_pipeline_spans_received_total")).isEqualTo(154);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void cancelMidStreamAndRestoreFromTheRetainedCheckpointCountsExactlyOnce(
      @TempDir Path checkpoints) throws Exception {
    String topic = "otlp_recover_" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(topic);
    Map<String, String> cp = Map.of("checkpoint-dir", checkpoints.toString());

    produce(topic, 200, 10); // 2000 calls
    assertThat(recordsIn(topic)).as("records in the topic").isEqualTo(200);
    CounterWatch counters = new CounterWatch(); // across the cancel and the restore
    String first = "recover-1-" + topic;
    JobClient job1 =
        ClusterPipeline.start(
            StreamExecutionEnvironment.getExecutionEnvironment(), config(topic, cp), first);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                latestCheckpoint(checkpoints, job1).isPresent()
                    && counters.scrape(metricsPort(first, job1)).sum("llm_calls_total") > 0);
    produce(topic, 200, 10); // 2000 more while the job runs
    double seenBeforeCancel = counters.scrape(metricsPort(first, job1)).sum("llm_calls_total");
    job1.cancel().get();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> job1.getJobStatus().get().isGloballyTerminalState());
    Path restoreFrom = latestCheckpoint(checkpoints, job1).orElseThrow();

    produce(topic, 100, 10); // 1000 while nothing runs
    assertThat(recordsIn(topic)).as("records in the topic").isEqualTo(500);
    String second = "recover-2-" + topic;
    JobClient job2 =
        ClusterPipeline.start(
            StreamExecutionEnvironment.getExecutionEnvironment(),
            config(
                topic,
                Map.of(
                    "checkpoint-dir",
                    checkpoints.toString(),
                    "restore-from",
                    restoreFrom.toString())),
            second);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                PromText m = counters.scrape(metricsPort(second, job2));
                assertThat(m.sum("llm_pipeline_spans_received_total"))
                    .as(
                        "restored from %s; calls %s; health %s %s",
                        restoreFrom,
                        m.series("llm_calls_total"),
                        m.series("llm_pipeline_malformed_requests_total"),
                        m.series("llm_pipeline_spans_dropped_total"))
                    .isEqualTo(5000);
                assertThat(m.sum("llm_calls_total"))
                    .as("late %s", m.series("llm_pipeline_late_spans_total"))
                    .isEqualTo(5000);
              });
      // Late duplicates would show up as counts above 5000: the count holds for a while.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(counters.scrape(metricsPort(second, job2)).sum("llm_calls_total"))
                      .isEqualTo(5000));
      PromText m = counters.scrape(metricsPort(second, job2));
      assertThat(m.sum("llm_calls_total", "outcome=throttled")).isEqualTo(500);
      assertThat(m.sum("llm_tokens_total", "type=input")).isEqualTo(500_000);
      assertThat(m.sum("llm_calls_by_route_total")).isEqualTo(5000); // same exactly-once path
      assertThat(seenBeforeCancel).isGreaterThan(0);
    } finally {
      job2.cancel().get();
      MetricsSink.BOUND_PORTS.remove(first);
    }
  }

  @Test
  void latencySpikeAlertsGoToTheAlertsTopic() throws Exception {
    String topic = "otlp_spike_" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(topic);
    createTopic(topic + "-alerts");
    Random rnd = new Random(7);
    long t0 = (System.currentTimeMillis() - 600_000) / 1000 * 1000;
    List<Future<?>> sent = new ArrayList<>();
    for (int w = 0; w < 70; w++) {
      boolean spike = w >= 40 && w < 48;
      for (String service : new String[] {"spiky", "control"}) {
        List<Span> spans = new ArrayList<>();
        long end = 0;
        for (int i = 0; i < 20; i++) {
          end = t0 + w * 1000L + 20 + i * 45;
          double d = 0.5 + rnd.nextGaussian() * 0.03;
          spans.add(
              call("openai", "gpt-4o", end, spike && service.equals("spiky") ? d * 6 : d)
                  .tokens(500, 100)
                  .build());
        }
        // The Collector stamps records at export time, just after the spans in it ended.
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic, null, end + 50, null, request(service, spans).toByteArray())));
      }
    }
    producer.flush();
    for (var f : sent) {
      f.get();
    }
    String endpoint = "kafka-" + topic;
    JobClient job =
        ClusterPipeline.start(
            StreamExecutionEnvironment.getExecutionEnvironment(),
            config(topic, Map.of("detector.warmup.windows", "10")),
            endpoint);
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("group.id", "alerts-reader");
    p.put("auto.offset.reset", "earliest");
    List<String> alerts = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<String, String>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic + "-alerts"));
      // Bounded but generous: on a loaded 2-core machine job start alone can take 30 s.
      await()
          .atMost(Duration.ofSeconds(180))
          .untilAsserted(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> alerts.add(r.key() + " " + r.value()));
                PromText seen = new CounterWatch().scrape(metricsPort(endpoint, job));
                assertThat(alerts)
                    .as(
                        "calls %s, late %s",
                        seen.sum("llm_calls_total"), seen.sum("llm_pipeline_late_spans_total"))
                    .anyMatch(
                        a ->
                            a.startsWith("latency_spike|spiky|openai|gpt-4o|unknown|chat ")
                                && a.contains("\"state\":\"firing\""));
                assertThat(alerts)
                    .anyMatch(
                        a ->
                            a.startsWith("latency_spike|spiky|")
                                && a.contains("\"state\":\"resolved\""));
              });
      assertThat(alerts).noneMatch(a -> a.contains("|control|"));
      PromText m = new CounterWatch().scrape(metricsPort(endpoint, job));
      assertThat(m.sum("llm_pipeline_late_spans_total")).isZero();
    } finally {
      job.cancel().get();
    }
  }

  /**
   * Issue 14, Kafka mode: the job is cancelled in a quiet hour (every record read, its last windows
   * open in the checkpoint) and restored with no further records; one of the three partitions never
   * receives data and parallelism is 2. Every key's count must arrive within the bound: start-up
   * Kafka start-up grace 30 s + out-of-orderness + window + a checkpoint.
   */
  @Test
  void aQuietHourRestoreWithAnEmptyPartitionPublishesEveryWindowWithoutNewRecords(
      @TempDir Path checkpoints) throws Exception {
    String topic = "otlp_quiet_" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(topic, 3);
    int services = 10;
    int perRecord = 20;
    produceNow(topic, 0, services, perRecord);
    produceNow(topic, 1, services, perRecord); // partition 2 stays empty
    int total = 2 * services * perRecord;
    Map<String, String> cfg =
        new HashMap<>(
            Map.of(
                "checkpoint-dir",
                checkpoints.toString(),
                "out-of-orderness",
                "10s",
                "idle-timeout",
                "500ms"));
    CounterWatch counters = new CounterWatch();
    String first = "quiet-1-" + topic;
    JobClient job1 =
        ClusterPipeline.start(
            StreamExecutionEnvironment.getExecutionEnvironment(), config(topic, cfg), first);
    Path restoreFrom;
    double publishedBeforeCancel;
    try {
      // Counters show a completed checkpoint: once every span is received there, that
      // checkpoint's windows hold them all.
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  counters.scrape(metricsPort(first, job1)).sum("llm_pipeline_spans_received_total")
                      == total);
      publishedBeforeCancel = counters.scrape(metricsPort(first, job1)).sum("llm_calls_total");
    } finally {
      job1.cancel().get();
      MetricsSink.BOUND_PORTS.remove(first);
    }
    // Picked once the job has ended: a checkpoint picked while it ran could be subsumed (deleted)
    // by the next one before the restore (the restored job then failed at once, under load).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> job1.getJobStatus().get().isGloballyTerminalState());
    restoreFrom = latestCheckpoint(checkpoints, job1).orElseThrow();
    assertThat(publishedBeforeCancel).as("windows open at the checkpoint").isLessThan(total);

    cfg.put("restore-from", restoreFrom.toString());
    String second = "quiet-2-" + topic;
    long restoreStart = System.nanoTime();
    JobClient job2 =
        ClusterPipeline.start(
            StreamExecutionEnvironment.getExecutionEnvironment(), config(topic, cfg), second);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                PromText m = counters.scrape(metricsPort(second, job2));
                for (int k = 0; k < services; k++) {
                  assertThat(m.sum("llm_calls_total", "service=svc-" + k))
                      .as("svc-" + k)
                      .isEqualTo(2 * perRecord);
                }
              });
      System.out.printf(
          "KafkaPipelineIT quiet-hour restore -> last window published %.1f s%n",
          (System.nanoTime() - restoreStart) / 1e9);
      PromText m = counters.scrape(metricsPort(second, job2));
      assertThat(m.sum("llm_calls_total")).isEqualTo(total);
      assertThat(m.sum("llm_pipeline_late_spans_total")).isZero();
    } finally {
      job2.cancel().get();
    }
  }

  /**
   * A two-partition topic whose second partition never receives data, at parallelism 1: every
   * window is still published once the stream ends, without waiting for more records.
   */
  @Test
  void anEmptyPartitionAtParallelismOneHoldsNoWindowBack() throws Exception {
    String topic = "otlp_empty_" + UUID.randomUUID().toString().substring(0, 8);
    createTopic(topic, 2);
    String endpoint = "empty-" + topic;
    CounterWatch counters = new CounterWatch();
    JobClient job =
        ClusterPipeline.start(
            StreamExecutionEnvironment.getExecutionEnvironment(),
            config(topic, Map.of("parallelism", "1", "out-of-orderness", "1s")),
            endpoint);
    try {
      int port = metricsPort(endpoint, job);
      for (int round = 1; round <= 2; round++) {
        produceNow(topic, 0, 5, 10);
        long lastRecord = System.nanoTime();
        int expected = round * 5 * 10;
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(
                () -> assertThat(counters.scrape(port).sum("llm_calls_total")).isEqualTo(expected));
        System.out.printf(
            "KafkaPipelineIT empty partition: last record -> its window published %.1f s%n",
            (System.nanoTime() - lastRecord) / 1e9);
      }
      assertThat(counters.scrape(port).sum("llm_pipeline_late_spans_total")).isZero();
    } finally {
      job.cancel().get();
    }
  }

  static long recordsIn(String topic) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      var partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
      Map<TopicPartition, OffsetSpec> req = new HashMap<>();
      partitions.forEach(
          i -> req.put(new TopicPartition(topic, i.partition()), OffsetSpec.latest()));
      return admin.listOffsets(req).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }
  }

  static Optional<Path> latestCheckpoint(Path dir, JobClient job) throws Exception {
    Path jobDir = dir.resolve(job.getJobID().toString());
    if (!Files.isDirectory(jobDir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(jobDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.exists(p.resolve("_metadata")))
          .max(
              Comparator.comparingInt(
                  p -> Integer.parseInt(p.getFileName().toString().substring(4))));
    }
  }
}
