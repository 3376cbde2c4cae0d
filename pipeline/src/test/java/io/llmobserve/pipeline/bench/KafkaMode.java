package io.llmobserve.pipeline.bench;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.job.ClusterPipeline;
import io.llmobserve.pipeline.sink.MetricsSink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * {@code ThroughputBenchmark source=kafka}: the same payloads as Collector records on an in-JVM
 * KRaft broker (one partition per subtask), read by the cluster job (Kafka source) on a local
 * MiniCluster. Every record is in the topic before the job starts; the warm-up records are counted
 * first, then the rate of the rest is measured (reading from the broker included, producing not).
 */
final class KafkaMode {
  private KafkaMode() {}

  static void run(
      Map<String, String> settings,
      int warmupRecords,
      int measuredRecords,
      IntFunction<byte[]> record,
      IntToLongFunction exportTime,
      int batch,
      double decodeRate,
      int cores,
      String jfrFile)
      throws Exception {
    int partitions = Integer.parseInt(settings.get("parallelism"));
    try (KafkaClusterTestKit kafka =
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
            .setConfigProp("message.max.bytes", "16777216")
            .build()) {
      kafka.format();
      kafka.startup();
      kafka.waitForReadyBrokers();
      Properties ap = new Properties();
      ap.put("bootstrap.servers", kafka.bootstrapServers());
      try (Admin admin = Admin.create(ap)) {
        admin.createTopics(List.of(new NewTopic("otlp_spans", partitions, (short) 1))).all().get();
      }
      Properties pp = new Properties();
      pp.put("bootstrap.servers", kafka.bootstrapServers());
      pp.put("acks", "1");
      pp.put("linger.ms", "5");
      pp.put("max.request.size", "16777216");
      long t0 = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
        // At most this many unacknowledged: the records are generated as they are sent.
        java.util.ArrayDeque<Future<RecordMetadata>> sent = new java.util.ArrayDeque<>();
        for (int i = 0; i < warmupRecords + measuredRecords; i++) {
          // round robin: every partition gets the same event-time span. The record time is the
          // Collector's export time, shortly after its spans ended: the job's watermarks follow
          // it.
          sent.add(
              producer.send(
                  new ProducerRecord<>(
                      "otlp_spans",
                      i % partitions,
                      exportTime.applyAsLong(i),
                      null,
                      record.apply(i))));
          while (sent.size() > 256) {
            sent.poll().get();
          }
        }
        for (Future<RecordMetadata> f : sent) {
          f.get();
        }
      }
      System.out.printf(
          "kafka: %,d records produced in %.2f s (before the job starts; not measured)%n",
          warmupRecords + measuredRecords, (System.nanoTime() - t0) / 1e9);

      Map<String, String> m = new HashMap<>(settings);
      m.remove("otlp-host");
      m.remove("otlp-port");
      m.remove("data-dir");
      m.remove("restore-from");
      m.put("source", "kafka");
      // The production default. The bench packs 256k spans into each second of event time, more
      // than the job reads per second, so the job runs behind event time throughout; a fetch that
      // pauses longer than the embedded runs' 500 ms idle timeout (+ out-of-orderness) lets event
      // time follow the quiet clock past records still in the topic, and they count as late.
      m.put("idle-timeout", "5s");
      m.put("kafka-bootstrap", kafka.bootstrapServers());
      m.put("kafka-topic", "otlp_spans");
      m.put("kafka-metrics-topic", "");
      m.put("alerts-delivery", "none");
      m.put(
          "checkpoint-dir",
          java.nio.file.Files.createTempDirectory("bench-kafka-chk").toUri().toString());
      PipelineConfig cfg = PipelineConfig.defaultsWith(m);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      JobClient job = ClusterPipeline.start(env, cfg, "bench-kafka");
      try {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!MetricsSink.BOUND_PORTS.containsKey("bench-kafka")
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        int port = MetricsSink.BOUND_PORTS.get("bench-kafka");
        long warmed = warmupRecords * (long) batch;
        long expected = measuredRecords * (long) batch;
        ThroughputBenchmark.awaitCounted(port, warmed);
        Map<String, Long> threadsBefore = ThroughputBenchmark.cpuByThread();
        ThroughputBenchmark.NATIVE_BEFORE = ThroughputBenchmark.cpuByNativeThread();
        ThroughputBenchmark.STARTED_BEFORE =
            java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        ThroughputBenchmark.SENDER_CPU.set(0);
        long cpuStart = ThroughputBenchmark.processCpuNanos();
        long mainCpu = ThroughputBenchmark.threadCpuNanos();
        jdk.jfr.Recording jfr = ThroughputBenchmark.startRecording(jfrFile);
        long start = System.nanoTime();
        // The count as it grows (at each completed checkpoint): the sustained rate is read where
        // it covers the middle 60 % of the measured spans, clear of both ends. At the start the
        // job has already read past the warm-up; at the end the last windows close only when the
        // quiet partition's idle-timeout lets event time pass them, a fixed ~idle-timeout +
        // window + out-of-orderness + checkpoint that has nothing to do with the rate.
        long[] crossed = new long[2];
        long[] counted = new long[2];
        long[] marks = {warmed + expected / 5, warmed + expected * 4 / 5};
        ThroughputBenchmark.awaitCounted(
            port,
            warmed + expected,
            (nanos, c) -> {
              for (int k = 0; k < 2; k++) {
                if (crossed[k] == 0 && c >= marks[k]) {
                  crossed[k] = nanos;
                  counted[k] = c;
                }
              }
            });
        long done = System.nanoTime();
        ThroughputBenchmark.stopRecording(jfr, jfrFile);
        ThroughputBenchmark.printCpuByThread(
            threadsBefore, ThroughputBenchmark.processCpuNanos() - cpuStart);
        double jobCpuSecs =
            (ThroughputBenchmark.processCpuNanos()
                    - cpuStart
                    - (ThroughputBenchmark.threadCpuNanos() - mainCpu))
                / 1e9;
        double rate = expected / ((done - start) / 1e9);
        System.out.printf(
            "pipeline (kafka source, records already in the topic): %,d spans after the warm-up"
                + " in %.2f s = %,.0f spans/s end to end (until /metrics counts every call, the"
                + " last windows closed by the idle-timeout); per core %,.0f; load average now"
                + " %.1f%n",
            expected, (done - start) / 1e9, rate, rate / cores, ThroughputBenchmark.loadAverage());
        System.out.printf("ratio pipeline / raw decode = %.2f%n", rate / decodeRate);
        double sustained = (counted[1] - counted[0]) / ((crossed[1] - crossed[0]) / 1e9);
        System.out.printf(
            "sustained: %,.0f spans/s while the job counted the middle 60 %% of the measured spans"
                + " (%,d spans in %.2f s; no end-of-stream wait); ratio to the raw decode = %.2f%n",
            sustained,
            counted[1] - counted[0],
            (crossed[1] - crossed[0]) / 1e9,
            sustained / decodeRate);
        System.out.printf(
            "CPU: the job and broker used %.1f CPU-s = %,.0f spans per CPU-second;"
                + " ratio to the raw decode per CPU-second = %.2f%n",
            jobCpuSecs,
            expected / jobCpuSecs,
            expected / jobCpuSecs / ThroughputBenchmark.decodeCpuRate);
        double steadySecs = jobCpuSecs - ThroughputBenchmark.JIT_NANOS / 1e9;
        System.out.printf(
            "CPU without the JIT compiler threads (%.1f CPU-s): %.1f CPU-s = %,.0f spans per"
                + " CPU-second, %.1f us per span; ratio to the raw decode per CPU-second = %.2f%n",
            ThroughputBenchmark.JIT_NANOS / 1e9,
            steadySecs,
            expected / steadySecs,
            steadySecs * 1e6 / expected,
            expected / steadySecs / ThroughputBenchmark.decodeCpuRate);
        System.out.printf(
            "late spans: %.0f (of %,d)%n",
            ThroughputBenchmark.scrape(port, "llm_pipeline_late_spans_total"), warmed + expected);
      } finally {
        job.cancel().get();
      }
    }
  }
}
