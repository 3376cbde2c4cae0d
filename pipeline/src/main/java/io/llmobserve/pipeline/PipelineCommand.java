package io.llmobserve.pipeline;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.detect.StallSettings;
import io.llmobserve.pipeline.job.ClusterPipeline;
import io.llmobserve.pipeline.job.EmbeddedPipeline;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The command line. Every option is also a key of the --config properties file. */
@Command(
    name = "llm-pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "llm-observe pipeline: LLM spans in, Prometheus metrics and anomaly alerts out.",
      "  java -jar llm-pipeline.jar                      embedded: OTLP receiver + local Flink",
      "  flink run llm-pipeline.jar --source kafka --kafka-bootstrap host:9092",
      "  java -jar llm-pipeline.jar replay <file.csv>... --out <dir>"
    },
    sortOptions = false)
public final class PipelineCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", description = "properties file; keys = option names without --")
  Path config;

  @Option(names = "--source", description = "otlp (embedded receiver, default) or kafka")
  String source;

  @Option(names = "--otlp-host", description = "receiver bind address (default 0.0.0.0)")
  String otlpHost;

  @Option(names = "--otlp-port", description = "OTLP/HTTP receiver port (default 4318)")
  String otlpPort;

  @Option(
      names = "--metrics-port",
      description = "Prometheus /metrics port (default 9464; -1 = off)")
  String metricsPort;

  @Option(names = "--window", description = "tumbling window size (default 10s)")
  String window;

  @Option(
      names = "--out-of-orderness",
      description = "watermark delay for out-of-order spans (default 5s)")
  String outOfOrderness;

  @Option(
      names = "--allowed-lateness",
      description = "re-fire windows for spans this late (default 0s)")
  String allowedLateness;

  @Option(
      names = "--idle-timeout",
      description = "after this quiet time event time follows the wall clock (default 5s)")
  String idleTimeout;

  @Option(
      names = "--alerts-out",
      description = "embedded: alert JSON lines to this file, - = stdout (default -)")
  String alertsOut;

  @Option(
      names = "--data-dir",
      description = "embedded: where state lives (default ./llm-observe-data)")
  String dataDir;

  @Option(
      names = "--checkpoint-dir",
      description = "checkpoint directory (embedded default: <data-dir>/checkpoints)")
  String checkpointDir;

  @Option(names = "--checkpoint-interval", description = "default 10s")
  String checkpointInterval;

  @Option(
      names = "--restore-from",
      description =
          "checkpoint/savepoint path to resume from (embedded; default auto = the latest in the checkpoint dir, none = fresh)")
  String restoreFrom;

  @Option(
      names = "--parallelism",
      description = "default: min(2, cores) embedded, cluster default otherwise")
  String parallelism;

  @Option(names = "--kafka-bootstrap", description = "Kafka bootstrap servers (source kafka)")
  String kafkaBootstrap;

  @Option(
      names = "--kafka-topic",
      description = "OTLP spans topic, encoding otlp_proto (default otlp_spans)")
  String kafkaTopic;

  @Option(names = "--kafka-group", description = "consumer group (default llm-observe-pipeline)")
  String kafkaGroup;

  @Option(names = "--alerts-topic", description = "alert events topic (default llm_alerts)")
  String alertsTopic;

  @Option(
      names = "--alerts-delivery",
      description = "at-least-once (default), exactly-once, none (= --alerts-out)")
  String alertsDelivery;

  @Option(
      names = "--pricing",
      description =
          "CSV provider,model,in,out,cached_in (USD per 1M) overriding the built-in table")
  String pricing;

  @Option(names = "--max-models-per-provider", description = "default 50; more fold into \"other\"")
  String maxModels;

  @Option(names = "--max-services-per-provider", description = "default 100")
  String maxServices;

  @Option(names = "--max-regions-per-provider", description = "default 50")
  String maxRegions;

  @Option(
      names = "--label-ttl",
      description = "an unused label value frees its slot after this (default 24h)")
  String labelTtl;

  @Option(
      names = "--gauge-ttl",
      description = "quantile gauges of a quiet series disappear after this (default 10m)")
  String gaugeTtl;

  @Option(
      names = "--max-span-duration",
      description = "longer spans are rejected as absurd (default 1h)")
  String maxSpanDuration;

  @Option(
      names = "--max-future-skew",
      description = "spans ending further in the future are rejected (default 10m)")
  String maxFutureSkew;

  @Option(names = "--max-body-bytes", description = "413 above this (default 16777216)")
  String maxBodyBytes;

  @Option(
      names = "--queue-capacity",
      description = "receiver log: requests not yet covered by a checkpoint (default 65536)")
  String queueCapacity;

  // -- abuse and fault bounds (issue 11) --
  @Option(
      names = "--receiver-log-bytes",
      description = "receiver log: bytes not yet covered by a checkpoint (default 134217728)")
  String receiverLogBytes;

  @Option(names = "--max-spans-per-request", description = "413 above (default 10000)")
  String maxSpansPerRequest;

  @Option(
      names = "--max-attributes-per-request",
      description = "413 above, attributes at any level (default 400000)")
  String maxAttributesPerRequest;

  @Option(
      names = "--max-elements-per-request",
      description = "413 above, every message of the request (default 1000000)")
  String maxElementsPerRequest;

  @Option(
      names = "--max-attribute-depth",
      description = "nesting of array/kvlist values (default 16)")
  String maxAttributeDepth;

  @Option(
      names = "--max-decompression-ratio",
      description = "gzip: decompressed/compressed above this is 413 (default 200)")
  String maxDecompressionRatio;

  @Option(
      names = "--http-workers",
      description = "request-processing threads per HTTP server (default: cores, min 2)")
  String httpWorkers;

  @Option(
      names = "--http-max-connections",
      description = "open connections per HTTP server (default 512)")
  String httpMaxConnections;

  @Option(names = "--http-idle-timeout", description = "close idle connections after (default 30s)")
  String httpIdleTimeout;

  @Option(
      names = "--http-header-timeout",
      description = "a new connection's first request headers within (default 10s)")
  String httpHeaderTimeout;

  @Option(
      names = "--http-body-timeout",
      description = "a request body within, else 408 (default 30s)")
  String httpBodyTimeout;

  @Option(
      names = "--http-min-data-rate",
      description = "bytes/s below which an upload is aborted (default 1024)")
  String httpMinDataRate;

  @Option(
      names = "--http-inflight-bytes",
      description =
          "request bodies buffered at once, else 503 (default max(4 x max-body-bytes, 64 MiB))")
  String httpInflightBytes;

  @Option(
      names = "--max-providers",
      description = "distinct gen_ai.provider.name values; more fold into \"other\" (default 50)")
  String maxProviders;

  @Option(
      names = "--max-series",
      description =
          "series budget of /metrics; new series beyond are dropped and counted (default 100000)")
  String maxSeries;

  @Option(
      names = "--max-tokens-per-call",
      description = "spans reporting more tokens are rejected as absurd_tokens (default 100000000)")
  String maxTokensPerCall;

  @Option(
      names = {"-D", "--set"},
      description = "any key=value, e.g. -D detector.latency.threshold=4")
  Map<String, String> extra;

  Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("source", source);
    f.put("otlp-host", otlpHost);
    f.put("otlp-port", otlpPort);
    f.put("metrics-port", metricsPort);
    f.put("window", window);
    f.put("out-of-orderness", outOfOrderness);
    f.put("allowed-lateness", allowedLateness);
    f.put("idle-timeout", idleTimeout);
    f.put("alerts-out", alertsOut);
    f.put("data-dir", dataDir);
    f.put("checkpoint-dir", checkpointDir);
    f.put("checkpoint-interval", checkpointInterval);
    f.put("restore-from", restoreFrom);
    f.put("parallelism", parallelism);
    f.put("kafka-bootstrap", kafkaBootstrap);
    f.put("kafka-topic", kafkaTopic);
    f.put("kafka-group", kafkaGroup);
    f.put("alerts-topic", alertsTopic);
    f.put("alerts-delivery", alertsDelivery);
    f.put("pricing", pricing);
    f.put("max-models-per-provider", maxModels);
    f.put("max-services-per-provider", maxServices);
    f.put("max-regions-per-provider", maxRegions);
    f.put("label-ttl", labelTtl);
    f.put("gauge-ttl", gaugeTtl);
    f.put("max-span-duration", maxSpanDuration);
    f.put("max-future-skew", maxFutureSkew);
    f.put("max-body-bytes", maxBodyBytes);
    f.put("queue-capacity", queueCapacity);
    // -- abuse and fault bounds (issue 11) --
    f.put("receiver-log-bytes", receiverLogBytes);
    f.put("max-spans-per-request", maxSpansPerRequest);
    f.put("max-attributes-per-request", maxAttributesPerRequest);
    f.put("max-elements-per-request", maxElementsPerRequest);
    f.put("max-attribute-depth", maxAttributeDepth);
    f.put("max-decompression-ratio", maxDecompressionRatio);
    f.put("http-workers", httpWorkers);
    f.put("http-max-connections", httpMaxConnections);
    f.put("http-idle-timeout", httpIdleTimeout);
    f.put("http-header-timeout", httpHeaderTimeout);
    f.put("http-body-timeout", httpBodyTimeout);
    f.put("http-min-data-rate", httpMinDataRate);
    f.put("http-inflight-bytes", httpInflightBytes);
    f.put("max-providers", maxProviders);
    f.put("max-series", maxSeries);
    f.put("max-tokens-per-call", maxTokensPerCall);
    if (extra != null) {
      extra.forEach(
          (k, v) -> {
            if (!PipelineConfig.DEFAULTS.containsKey(k) && !k.startsWith("detector.")) {
              throw new IllegalArgumentException(
                  "-D "
                      + k
                      + ": unknown key (known: "
                      + PipelineConfig.DEFAULTS.keySet()
                      + ", detector.*)");
            }
            f.put(k, v);
          });
    }
    return f;
  }

  @Override
  public Integer call() throws Exception {
    PipelineConfig cfg;
    try {
      cfg = PipelineConfig.resolve(config, flags());
      // fail fast on bad detector.* values (stall.* are the stall detector's own)
      DetectorSettings.fromMap(StallSettings.withoutStallKeys(cfg.detector));
      StallSettings.fromMap(cfg.detector);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("llm-pipeline: " + e.getMessage());
      return 2;
    }
    if (cfg.source.equals("kafka")) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      ClusterPipeline.build(env, cfg, "llm-observe-cluster");
      System.out.printf(
          "llm-observe: reading %s from %s, alerts to %s; /metrics on the metrics-sink TaskManager port %d%n",
          cfg.kafkaTopic,
          cfg.kafkaBootstrap,
          cfg.alertsDelivery.equals("none") ? cfg.alertsOut : cfg.alertsTopic,
          cfg.metricsPort);
      env.execute("llm-observe (kafka)");
      return 0;
    }
    return runEmbedded(cfg);
  }

  private static int runEmbedded(PipelineConfig cfg) throws Exception {
    System.out.println(
        "llm-observe: starting embedded pipeline (window " + cfg.resolved.get("window") + ") ...");
    EmbeddedPipeline p = EmbeddedPipeline.start(cfg);
    cfg = p.config();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              System.out.println("llm-observe: stopping ...");
              try {
                p.close();
              } catch (Exception ignored) {
                // exiting anyway
              }
              stopped.countDown();
            },
            "llm-observe-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.printf(
        """
        llm-observe: running.
          OTLP/HTTP traces in : http://127.0.0.1:%d/v1/traces   (agent: -Dotel.exporter.otlp.endpoint=http://127.0.0.1:%d -Dotel.exporter.otlp.protocol=http/protobuf)
          Prometheus metrics  : http://127.0.0.1:%d/metrics
          alert events        : %s
          checkpoints         : %s%s
        Ctrl-C to stop.
        """,
        p.otlpPort(),
        p.otlpPort(),
        p.metricsPort(),
        cfg.alertsOut.equals("-") ? "stdout (JSON lines)" : cfg.alertsOut,
        cfg.checkpointDir,
        cfg.restoreFrom.isBlank() ? " (fresh start)" : " (resumed from " + cfg.restoreFrom + ")");
    try {
      p.job().getJobExecutionResult().get();
    } catch (Exception e) {
      if (stopped.getCount() > 0) {
        System.err.println("llm-observe: job failed: " + e.getMessage());
        return 1;
      }
    }
    stopped.await();
    return 0;
  }
}
