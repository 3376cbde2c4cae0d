package io.llmobserve.pipeline.job;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.sink.AlertFileSink;
import io.llmobserve.pipeline.sink.MetricsSink;
import io.llmobserve.pipeline.source.OtlpReceiver;
import io.llmobserve.pipeline.source.ReceiverQueues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Embedded mode: the OTLP receiver in this JVM, the job on a local MiniCluster, /metrics served
 * by the metrics sink. {@link #start} returns once the job runs and /metrics is bound.
 */
public final class EmbeddedPipeline implements AutoCloseable {
  private final String name;
  private final OtlpReceiver receiver;
  private final JobClient job;
  private final int metricsPort;
  private final PipelineConfig config;

  private EmbeddedPipeline(String name, OtlpReceiver receiver, JobClient job, int metricsPort, PipelineConfig config) {
    this.config = config;
    this.name = name;
    this.receiver = receiver;
    this.job = job;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts the pipeline. State is durable by default: checkpoints go to
   * {@code <data-dir>/checkpoints} unless {@code checkpoint-dir} says otherwise, and a start
   * resumes from the latest checkpoint there ({@code restore-from} auto) unless told
   * {@code none} or a path: a plain restart keeps counters, open windows and open alerts.
   */
  public static EmbeddedPipeline start(PipelineConfig requested) throws Exception {
    PipelineConfig cfg = durable(requested);
    String name = "llm-observe-" + UUID.randomUUID();
    BlockingQueue<byte[]> queue = ReceiverQueues.create(name, cfg.queueCapacity);
    OtlpReceiver receiver = new OtlpReceiver(cfg.otlpHost, cfg.otlpPort, queue, cfg.maxBodyBytes, 5_000);
    try {
      StreamExecutionEnvironment env = Environments.local(cfg);
      LlmObserveJob.build(Sources.receiver(env, name), name, cfg, name, new AlertFileSink(cfg.alertsOut));
      JobClient job = env.executeAsync("llm-observe (embedded)");
      int port = cfg.metricsPort < 0 ? -1 : awaitMetricsPort(name, job, Duration.ofSeconds(60));
      return new EmbeddedPipeline(name, receiver, job, port, cfg);
    } catch (Exception e) {
      receiver.close();
      ReceiverQueues.remove(name);
      throw e;
    }
  }

  /** The configuration with the checkpoint dir and restore path resolved (see {@link #start}). */
  static PipelineConfig durable(PipelineConfig cfg) throws java.io.IOException {
    java.util.Map<String, String> m = new java.util.HashMap<>(cfg.resolved);
    Path dir = Path.of(cfg.checkpointDir.isBlank() ? Path.of(cfg.dataDir, "checkpoints").toString() : cfg.checkpointDir);
    m.put("checkpoint-dir", dir.toString());
    String restore = cfg.restoreFrom.strip();
    if (restore.isEmpty() || restore.equals("auto")) {
      m.put("restore-from", latestCheckpoint(dir).map(Path::toString).orElse(""));
    } else if (restore.equals("none")) {
      m.put("restore-from", "");
    }
    return PipelineConfig.defaultsWith(m);
  }

  /** The newest completed checkpoint (chk-N with _metadata) of any earlier run under {@code dir}. */
  public static java.util.Optional<Path> latestCheckpoint(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return java.util.Optional.empty();
    }
    java.util.List<Path> found = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> jobs = Files.list(dir)) {
      for (Path job : jobs.filter(Files::isDirectory).toList()) {
        try (java.util.stream.Stream<Path> s = Files.list(job)) {
          s.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
              .forEach(found::add);
        }
      }
    }
    return found.stream().max(java.util.Comparator.comparingLong(p -> {
      try {
        return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
      } catch (java.io.IOException e) {
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

  /** The port /metrics is bound to now (it can change after a failover when configured as 0). */
  public int metricsPort() {
    Integer p = MetricsSink.BOUND_PORTS.get(name);
    return p != null ? p : metricsPort;
  }

  public OtlpReceiver receiver() {
    return receiver;
  }

  public JobClient job() {
    return job;
  }

  @Override
  public void close() throws Exception {
    receiver.close();
    try {
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        job.cancel().get();
      }
    } catch (Exception ignored) {
      // already gone
    }
    ReceiverQueues.remove(name);
  }
}
