package io.llmobserve.pipeline.job;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.http.BoundedHttpServer;
import io.llmobserve.pipeline.http.HttpStatsCollector;
import io.llmobserve.pipeline.sink.AlertFileSink;
import io.llmobserve.pipeline.sink.MetricsSink;
import io.llmobserve.pipeline.source.OtlpReceiver;
import io.llmobserve.pipeline.source.ReceiverLog;
import io.llmobserve.pipeline.source.ReceiverQueues;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Embedded mode: the OTLP receiver in this JVM, the job on a local MiniCluster, /metrics served by
 * the metrics sink. {@link #start} returns once the job runs and /metrics is bound.
 */
public final class EmbeddedPipeline implements AutoCloseable {
  private final String name;
  private final OtlpReceiver receiver;
  private final JobClient job;
  private final BoundedHttpServer metrics;
  private final PipelineConfig config;

  private EmbeddedPipeline(
      String name,
      OtlpReceiver receiver,
      JobClient job,
      BoundedHttpServer metrics,
      PipelineConfig config) {
    this.config = config;
    this.name = name;
    this.receiver = receiver;
    this.job = job;
    this.metrics = metrics;
  }

  /**
   * Starts the pipeline. State is durable by default: checkpoints go to {@code
   * <data-dir>/checkpoints} unless {@code checkpoint-dir} says otherwise, and a start resumes from
   * the latest checkpoint there ({@code restore-from} auto) unless told {@code none} or a path: a
   * plain restart keeps counters, open windows and open alerts.
   */
  public static EmbeddedPipeline start(PipelineConfig cfg) throws Exception {
    return start(cfg, UnaryOperator.identity());
  }

  /**
   * @param tap applied to the receiver's stream before the job (tests inject task failures here)
   */
  public static EmbeddedPipeline start(
      PipelineConfig requested, UnaryOperator<DataStream<byte[]>> tap) throws Exception {
    PipelineConfig cfg = durable(requested);
    String name = "llm-observe-" + UUID.randomUUID();
    ReceiverLog log = ReceiverQueues.create(name, cfg.queueCapacity, cfg.receiverLogBytes);
    // the agents' in-flight metrics (OTLP /v1/metrics): not replayed, the next export repeats them
    String metricsQueue = name + "-metrics";
    ReceiverLog metricsLog =
        ReceiverQueues.create(metricsQueue, cfg.queueCapacity, cfg.receiverLogBytes);
    OtlpReceiver receiver;
    try {
      receiver =
          new OtlpReceiver(
              cfg.otlpHost, cfg.otlpPort, log, cfg.maxBodyBytes, cfg.requestLimits, cfg.httpLimits);
      receiver.metricsHandler(body -> metricsLog.append(body, 1_000));
    } catch (Exception e) {
      ReceiverQueues.remove(name);
      ReceiverQueues.remove(metricsQueue);
      throw e;
    }
    BoundedHttpServer metrics = null;
    try {
      if (cfg.metricsPort >= 0) {
        metrics = serveMetrics(name, cfg, receiver, log);
      }
      StreamExecutionEnvironment env = Environments.local(cfg);
      // /metrics is served here, by the process, not by the sink's task: it keeps answering
      // while a task fails over, and its port never changes.
      LlmObserveJob.build(
          tap.apply(Sources.receiver(env, name)),
          Sources.metricsReceiver(env, metricsQueue),
          name,
          cfg.with("metrics-port", "-1"),
          name,
          new AlertFileSink(cfg.alertsOut));
      JobClient job = env.executeAsync("llm-observe (embedded)");
      awaitSinkState(name, job, Duration.ofSeconds(60));
      return new EmbeddedPipeline(name, receiver, job, metrics, cfg);
    } catch (Exception e) {
      receiver.close();
      if (metrics != null) {
        metrics.close();
      }
      ReceiverQueues.remove(name);
      ReceiverQueues.remove(metricsQueue);
      MetricsSink.LIVE_STATES.remove(name);
      throw e;
    }
  }

  private static BoundedHttpServer serveMetrics(
      String name, PipelineConfig cfg, OtlpReceiver receiver, ReceiverLog log) throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(MetricsSink.liveCollector(name));
    registry.register(logGauges(log));
    BoundedHttpServer server =
        BoundedHttpServer.builder("metrics", cfg.httpLimits.forScrapes())
            .bind("0.0.0.0", cfg.metricsPort)
            .route("/metrics", Set.of("GET"), 0, MetricsSink.scrapeRoute(registry))
            .route(
                "/-/healthy",
                Set.of("GET"),
                0,
                call -> BoundedHttpServer.Reply.text(200, "ok", "ok"))
            .start();
    registry.register(new HttpStatsCollector(List.of(receiver.server(), server)));
    return server;
  }

  private static void awaitSinkState(String name, JobClient job, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (MetricsSink.LIVE_STATES.containsKey(name)) {
        return;
      }
      if (job.getJobStatus().get().isGloballyTerminalState()) {
        job.getJobExecutionResult().get(); // surfaces the failure
        throw new IllegalStateException("job ended before its metrics sink started");
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the metrics sink did not start within " + timeout);
  }

  /** What the receiver log holds until the next completed checkpoint trims it. */
  private static MultiCollector logGauges(ReceiverLog log) {
    return () ->
        new MetricSnapshots(
            GaugeSnapshot.builder()
                .name("llm_pipeline_receiver_log_requests")
                .help("Accepted OTLP requests kept for replay until a checkpoint covers them")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(log.size()).build())
                .build(),
            GaugeSnapshot.builder()
                .name("llm_pipeline_receiver_log_bytes")
                .help(
                    "Bytes of accepted OTLP requests kept for replay until a checkpoint covers them")
                .dataPoint(
                    GaugeSnapshot.GaugeDataPointSnapshot.builder().value(log.bytes()).build())
                .build());
  }

  /** The configuration with the checkpoint dir and restore path resolved (see {@link #start}). */
  static PipelineConfig durable(PipelineConfig cfg) throws IOException {
    Map<String, String> m = new HashMap<>(cfg.resolved);
    String given = cfg.checkpointDir.isBlank() ? "" : cfg.checkpointDir.strip();
    // A local directory (a path or a file: URI) is listed for the newest checkpoint on "auto";
    // remote storage (s3://, hdfs://) is handed to Flink as given and a restore needs its path.
    Optional<Path> local =
        given.isEmpty()
            ? Optional.of(Path.of(cfg.dataDir, "checkpoints"))
            : Environments.localDirectory(given);
    m.put("checkpoint-dir", local.map(Path::toString).orElse(given));
    String restore = cfg.restoreFrom.strip();
    if (restore.isEmpty() || restore.equals("auto")) {
      Optional<Path> latest = local.isPresent() ? latestCheckpoint(local.get()) : Optional.empty();
      m.put("restore-from", latest.map(Path::toString).orElse(""));
    } else if (restore.equals("none")) {
      m.put("restore-from", "");
    }
    return PipelineConfig.defaultsWith(m);
  }

  /**
   * The newest completed checkpoint (chk-N with _metadata) of any earlier run under {@code dir}.
   */
  public static Optional<Path> latestCheckpoint(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    List<Path> found = new ArrayList<>();
    try (Stream<Path> jobs = Files.list(dir)) {
      for (Path job : jobs.filter(Files::isDirectory).toList()) {
        try (Stream<Path> s = Files.list(job)) {
          s.filter(
                  p ->
                      p.getFileName().toString().startsWith("chk-")
                          && Files.exists(p.resolve("_metadata")))
              .forEach(found::add);
        }
      }
    }
    return found.stream()
        .max(
            Comparator.comparingLong(
                p -> {
                  try {
                    return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
                  } catch (IOException e) {
                    return Long.MIN_VALUE;
                  }
                }));
  }

  static int awaitMetricsPort(String endpoint, JobClient job, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Integer p = MetricsSink.BOUND_PORTS.get(endpoint);
      if (p != null) {
        return p;
      }
      if (job.getJobStatus().get().isGloballyTerminalState()) {
        job.getJobExecutionResult().get(); // surfaces the failure
        throw new IllegalStateException("job ended before /metrics was up");
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("/metrics did not come up within " + timeout);
  }

  /** The configuration it runs with (checkpoint dir and restore path resolved). */
  public PipelineConfig config() {
    return config;
  }

  public int otlpPort() {
    return receiver.port();
  }

  /** The port /metrics is bound to (-1 when off); stable across task failovers. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  public OtlpReceiver receiver() {
    return receiver;
  }

  /** Accepted requests not yet covered by a completed checkpoint. */
  public ReceiverLog receiverLog() {
    return ReceiverQueues.get(name);
  }

  public JobClient job() {
    return job;
  }

  @Override
  public void close() throws Exception {
    receiver.close();
    if (metrics != null) {
      metrics.close();
    }
    try {
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        job.cancel().get();
      }
    } catch (Exception ignored) {
      // already gone
    }
    ReceiverQueues.remove(name);
    ReceiverQueues.remove(name + "-metrics");
    MetricsSink.LIVE_STATES.remove(name);
  }
}
