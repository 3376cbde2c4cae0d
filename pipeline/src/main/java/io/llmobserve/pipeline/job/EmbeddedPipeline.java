package io.llmobserve.pipeline.job;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.http.HttpStatsCollector;
import io.llmobserve.pipeline.sink.AlertFileSink;
import io.llmobserve.pipeline.sink.MetricsSink;
import io.llmobserve.pipeline.source.OtlpReceiver;
import io.llmobserve.pipeline.source.ReceiverLog;
import io.llmobserve.pipeline.source.ReceiverQueues;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
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

  private EmbeddedPipeline(String name, OtlpReceiver receiver, JobClient job, int metricsPort) {
    this.name = name;
    this.receiver = receiver;
    this.job = job;
    this.metricsPort = metricsPort;
  }

  public static EmbeddedPipeline start(PipelineConfig cfg) throws Exception {
    return start(cfg, UnaryOperator.identity());
  }

  /**
   * @param tap applied to the receiver's stream before the job (tests inject task failures here)
   */
  public static EmbeddedPipeline start(PipelineConfig cfg, UnaryOperator<DataStream<byte[]>> tap) throws Exception {
    String name = "llm-observe-" + UUID.randomUUID();
    ReceiverLog log = ReceiverQueues.create(name, cfg.queueCapacity, cfg.receiverLogBytes);
    OtlpReceiver receiver;
    try {
      receiver = new OtlpReceiver(cfg.otlpHost, cfg.otlpPort, log, cfg.maxBodyBytes, cfg.requestLimits, cfg.httpLimits);
    } catch (Exception e) {
      ReceiverQueues.remove(name);
      throw e;
    }
    MetricsSink.EXTRA_COLLECTORS.put(name, List.of(new HttpStatsCollector(List.of(receiver.server())), logGauges(log)));
    try {
      StreamExecutionEnvironment env = Environments.local(cfg);
      LlmObserveJob.build(tap.apply(Sources.receiver(env, name)), false, cfg, name, new AlertFileSink(cfg.alertsOut));
      JobClient job = env.executeAsync("llm-observe (embedded)");
      int port = cfg.metricsPort < 0 ? -1 : awaitMetricsPort(name, job, Duration.ofSeconds(60));
      return new EmbeddedPipeline(name, receiver, job, port);
    } catch (Exception e) {
      receiver.close();
      ReceiverQueues.remove(name);
      MetricsSink.EXTRA_COLLECTORS.remove(name);
      throw e;
    }
  }

  /** What the receiver log holds until the next completed checkpoint trims it. */
  private static MultiCollector logGauges(ReceiverLog log) {
    return () -> new MetricSnapshots(
        GaugeSnapshot.builder().name("llm_pipeline_receiver_log_requests")
            .help("Accepted OTLP requests kept for replay until a checkpoint covers them")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(log.size()).build()).build(),
        GaugeSnapshot.builder().name("llm_pipeline_receiver_log_bytes")
            .help("Bytes of accepted OTLP requests kept for replay until a checkpoint covers them")
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(log.bytes()).build()).build());
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
    try {
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        job.cancel().get();
      }
    } catch (Exception ignored) {
      // already gone
    }
    ReceiverQueues.remove(name);
    MetricsSink.EXTRA_COLLECTORS.remove(name);
  }
}
