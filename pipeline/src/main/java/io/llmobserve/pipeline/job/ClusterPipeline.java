package io.llmobserve.pipeline.job;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.sink.AlertFileSink;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Cluster mode (flink run): Kafka otlp_spans in, Kafka llm_alerts out, /metrics from the sink's
 * TaskManager.
 */
public final class ClusterPipeline {
  private ClusterPipeline() {}

  /**
   * Builds the job into {@code env}; {@code metricsEndpoint} names the sink's bound port (tests).
   */
  public static void build(
      StreamExecutionEnvironment env, PipelineConfig cfg, String metricsEndpoint) {
    Environments.configure(env, cfg);
    Sink<AnomalyEvent> alerts =
        cfg.alertsDelivery.equals("none")
            ? new AlertFileSink(cfg.alertsOut)
            : Sources.kafkaAlerts(cfg);
    LlmObserveJob.build(
        Sources.kafka(env, cfg),
        Sources.kafkaMetrics(env, cfg),
        null,
        cfg,
        metricsEndpoint,
        alerts);
  }

  public static JobClient start(
      StreamExecutionEnvironment env, PipelineConfig cfg, String metricsEndpoint) throws Exception {
    build(env, cfg, metricsEndpoint);
    return env.executeAsync("llm-observe (kafka)");
  }
}
