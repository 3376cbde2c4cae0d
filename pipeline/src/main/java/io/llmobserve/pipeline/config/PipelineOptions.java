package io.llmobserve.pipeline.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The job's options, typed, each with its default: the one place a setting is declared. Given on
 * the command line, as {@code -D name=value}, or as a key of the {@code --config} properties file
 * (name without "--"); see {@link ConfigFileDefaults}. {@link PipelineConfig} checks ranges and
 * derives the rest. Durations use {@link Durations} (Flink's syntax; a bare number = ms).
 */
@Command(
    name = "llm-pipeline",
    sortOptions = false,
    defaultValueProvider = ConfigFileDefaults.class)
public final class PipelineOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      showDefaultValue = Visibility.NEVER,
      description = "properties file; keys = option names without --, plus detector.* and kafka.*")
  Path config;

  @Option(
      names = {"-D", "--set"},
      paramLabel = "KEY=VALUE",
      showDefaultValue = Visibility.NEVER,
      description =
          "any option, detector.* or kafka.* key, e.g. -D detector.latency.threshold=4,"
              + " -D kafka.security.protocol=SASL_SSL")
  Map<String, String> extra = new LinkedHashMap<>();

  @Option(
      names = "--source",
      defaultValue = "otlp",
      description = "otlp (embedded receiver) or kafka")
  String source;

  @Option(names = "--otlp-host", defaultValue = "0.0.0.0", description = "receiver bind address")
  String otlpHost;

  @Option(names = "--otlp-port", defaultValue = "4318", description = "OTLP/HTTP receiver port")
  int otlpPort;

  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description = "Prometheus /metrics port (-1 = off, 0 = any free port)")
  int metricsPort;

  @Option(
      names = "--window",
      defaultValue = "10s",
      converter = Durations.Converter.class,
      description = "tumbling window size")
  Duration window;

  @Option(
      names = "--out-of-orderness",
      defaultValue = "5s",
      converter = Durations.Converter.class,
      description = "watermark delay for out-of-order spans")
  Duration outOfOrderness;

  @Option(
      names = "--allowed-lateness",
      defaultValue = "0s",
      converter = Durations.Converter.class,
      description = "re-fire windows for spans this late")
  Duration allowedLateness;

  @Option(
      names = "--idle-timeout",
      defaultValue = "5s",
      converter = Durations.Converter.class,
      description = "after this quiet time event time follows the wall clock")
  Duration idleTimeout;

  @Option(
      names = "--alerts-out",
      defaultValue = "-",
      description = "embedded: alert JSON lines to this file, - = stdout")
  String alertsOut;

  @Option(
      names = "--data-dir",
      defaultValue = "llm-observe-data",
      description = "embedded: where state lives")
  String dataDir;

  @Option(
      names = "--checkpoint-dir",
      defaultValue = "",
      description =
          "checkpoint directory or URI, e.g. s3://bucket/chk (embedded default: <data-dir>/checkpoints)")
  String checkpointDir;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "10s",
      converter = Durations.Converter.class)
  Duration checkpointInterval;

  @Option(
      names = "--restore-from",
      defaultValue = "",
      description =
          "checkpoint/savepoint path to resume from (embedded; empty or auto = the latest in the"
              + " checkpoint dir, none = fresh)")
  String restoreFrom;

  @Option(
      names = "--parallelism",
      defaultValue = "0",
      description = "0 = min(2, cores) embedded, the cluster's default otherwise")
  int parallelism;

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "",
      description = "Kafka bootstrap servers (source kafka)")
  String kafkaBootstrap;

  @Option(
      names = "--kafka-topic",
      defaultValue = "otlp_spans",
      description = "OTLP spans topic, encoding otlp_proto or otlp_json")
  String kafkaTopic;

  @Option(
      names = "--kafka-metrics-topic",
      defaultValue = "otlp_metrics",
      description = "OTLP metrics topic (the agents' in-flight calls, for stall); empty = not read")
  String kafkaMetricsTopic;

  @Option(
      names = "--kafka-group",
      defaultValue = "llm-observe-pipeline",
      description = "consumer group")
  String kafkaGroup;

  @Option(names = "--alerts-topic", defaultValue = "llm_alerts", description = "alert events topic")
  String alertsTopic;

  @Option(
      names = "--alerts-delivery",
      defaultValue = "at-least-once",
      description = "at-least-once, exactly-once, none (= --alerts-out)")
  String alertsDelivery;

  @Option(
      names = "--pricing",
      defaultValue = "",
      description =
          "CSV provider,model,in,out,cached_in (USD per 1M) overriding the built-in table")
  String pricing;

  @Option(
      names = "--max-models-per-provider",
      defaultValue = "50",
      description = "more fold into \"other\"")
  int maxModelsPerProvider;

  @Option(names = "--max-services-per-provider", defaultValue = "100")
  int maxServicesPerProvider;

  @Option(names = "--max-regions-per-provider", defaultValue = "50")
  int maxRegionsPerProvider;

  @Option(
      names = "--label-ttl",
      defaultValue = "24h",
      converter = Durations.Converter.class,
      description = "an unused label value frees its slot after this")
  Duration labelTtl;

  @Option(
      names = "--gauge-ttl",
      defaultValue = "10m",
      converter = Durations.Converter.class,
      description = "quantile gauges of a quiet series disappear after this")
  Duration gaugeTtl;

  @Option(
      names = "--max-span-duration",
      defaultValue = "1h",
      converter = Durations.Converter.class,
      description = "longer spans are rejected as absurd")
  Duration maxSpanDuration;

  @Option(
      names = "--max-future-skew",
      defaultValue = "10m",
      converter = Durations.Converter.class,
      description = "spans ending further in the future are rejected")
  Duration maxFutureSkew;

  @Option(names = "--max-body-bytes", defaultValue = "16777216", description = "413 above this")
  int maxBodyBytes;

  @Option(
      names = "--queue-capacity",
      defaultValue = "65536",
      description = "receiver log: requests not yet covered by a checkpoint")
  int queueCapacity;

  // -- abuse and fault bounds (issue 11) --
  @Option(
      names = "--receiver-log-bytes",
      defaultValue = "134217728",
      description = "receiver log: bytes not yet covered by a checkpoint")
  long receiverLogBytes;

  @Option(names = "--max-spans-per-request", defaultValue = "10000", description = "413 above")
  int maxSpansPerRequest;

  @Option(
      names = "--max-attributes-per-request",
      defaultValue = "400000",
      description = "413 above, attributes at any level")
  int maxAttributesPerRequest;

  @Option(
      names = "--max-elements-per-request",
      defaultValue = "1000000",
      description = "413 above, every message of the request")
  int maxElementsPerRequest;

  @Option(
      names = "--max-attribute-depth",
      defaultValue = "16",
      description = "nesting of array/kvlist values")
  int maxAttributeDepth;

  @Option(
      names = "--max-decompression-ratio",
      defaultValue = "200",
      description = "gzip: decompressed/compressed above this is 413")
  int maxDecompressionRatio;

  @Option(
      names = "--http-workers",
      defaultValue = "0",
      description = "request-processing threads per HTTP server (0 = cores, min 2)")
  int httpWorkers;

  @Option(
      names = "--http-max-connections",
      defaultValue = "512",
      description = "open connections per HTTP server")
  int httpMaxConnections;

  @Option(
      names = "--http-idle-timeout",
      defaultValue = "30s",
      converter = Durations.Converter.class,
      description = "close idle connections after")
  Duration httpIdleTimeout;

  @Option(
      names = "--http-header-timeout",
      defaultValue = "10s",
      converter = Durations.Converter.class,
      description = "a new connection's first request headers within")
  Duration httpHeaderTimeout;

  @Option(
      names = "--http-body-timeout",
      defaultValue = "30s",
      converter = Durations.Converter.class,
      description = "a request body within, else 408")
  Duration httpBodyTimeout;

  @Option(
      names = "--http-min-data-rate",
      defaultValue = "1024",
      description = "bytes/s below which an upload is aborted")
  long httpMinDataRate;

  @Option(
      names = "--http-inflight-bytes",
      defaultValue = "0",
      description =
          "request bodies buffered at once, else 503 (0 = max(4 x max-body-bytes, 64 MiB))")
  long httpInflightBytes;

  @Option(
      names = "--max-providers",
      defaultValue = "50",
      description = "distinct gen_ai.provider.name values; more fold into \"other\"")
  int maxProviders;

  @Option(
      names = "--max-series",
      defaultValue = "100000",
      description = "series budget of /metrics; new series beyond are dropped and counted")
  int maxSeries;

  @Option(
      names = "--max-tokens-per-call",
      defaultValue = "100000000",
      description = "spans reporting more tokens are rejected as absurd_tokens")
  long maxTokensPerCall;
}
