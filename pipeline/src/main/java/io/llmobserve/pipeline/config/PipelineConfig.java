package io.llmobserve.pipeline.config;

import io.llmobserve.pipeline.enrich.PricingTable;
import io.llmobserve.pipeline.http.HttpLimits;
import io.llmobserve.pipeline.limits.RequestLimits;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every setting of the job, resolved from (lowest to highest precedence) built-in defaults, a
 * properties file (--config), and command-line flags. Keys are the flag names without "--"
 * (window=10s, metrics-port=9464, detector.latency.threshold=4, ...). Bad values fail fast with a
 * message naming the flag.
 */
public final class PipelineConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Defaults, documented in pipeline/README.md. */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("source", "otlp");
    d.put("otlp-host", "0.0.0.0");
    d.put("otlp-port", "4318");
    d.put("metrics-port", "9464");
    d.put("window", "10s");
    d.put("out-of-orderness", "5s");
    d.put("allowed-lateness", "0s");
    d.put("idle-timeout", "5s");
    d.put("alerts-out", "-");
    d.put("data-dir", "llm-observe-data");
    d.put("checkpoint-dir", "");
    d.put("checkpoint-interval", "10s");
    d.put("restore-from", "");
    d.put("parallelism", "0");
    d.put("kafka-bootstrap", "");
    d.put("kafka-topic", "otlp_spans");
    d.put("kafka-metrics-topic", "otlp_metrics");
    d.put("kafka-group", "llm-observe-pipeline");
    d.put("alerts-topic", "llm_alerts");
    d.put("alerts-delivery", "at-least-once");
    d.put("pricing", "");
    d.put("max-models-per-provider", "50");
    d.put("max-services-per-provider", "100");
    d.put("max-regions-per-provider", "50");
    d.put("label-ttl", "24h");
    d.put("gauge-ttl", "10m");
    d.put("max-span-duration", "1h");
    d.put("max-future-skew", "10m");
    d.put("max-body-bytes", "16777216");
    d.put("queue-capacity", "65536");
    // -- abuse and fault bounds (issue 11: receiver, request limits, labels, values) --
    d.put("receiver-log-bytes", "134217728");
    d.put("max-spans-per-request", "10000");
    d.put("max-attributes-per-request", "400000");
    d.put("max-elements-per-request", "1000000");
    d.put("max-attribute-depth", "16");
    d.put("max-decompression-ratio", "200");
    d.put("http-workers", "0");
    d.put("http-max-connections", "512");
    d.put("http-idle-timeout", "30s");
    d.put("http-header-timeout", "10s");
    d.put("http-body-timeout", "30s");
    d.put("http-min-data-rate", "1024");
    d.put("http-inflight-bytes", "0");
    d.put("max-providers", "50");
    d.put("max-series", "100000");
    d.put("max-tokens-per-call", "100000000");
    return d;
  }

  public final String source;
  public final String otlpHost;
  public final int otlpPort;
  public final int metricsPort;
  public final Duration window;
  public final Duration outOfOrderness;
  public final Duration allowedLateness;
  public final Duration idleTimeout;
  public final String alertsOut;

  /** Embedded mode: where checkpoints live when no checkpoint-dir is given. */
  public final String dataDir;

  public final String checkpointDir;
  public final Duration checkpointInterval;

  /**
   * Checkpoint or savepoint to start from (embedded mode; on a cluster use flink run -s). Embedded:
   * empty or "auto" = the latest retained checkpoint in the checkpoint dir, if any; "none" = start
   * fresh.
   */
  public final String restoreFrom;

  public final int parallelism;
  public final String kafkaBootstrap;
  public final String kafkaTopic;

  /**
   * The Collector's OTLP metrics topic (the agent's in-flight metrics, for stall); "" = not read.
   */
  public final String kafkaMetricsTopic;

  public final String kafkaGroup;
  public final String alertsTopic;
  public final String alertsDelivery;
  public final PricingTable pricing;
  public final int maxModelsPerProvider;
  public final int maxServicesPerProvider;
  public final int maxRegionsPerProvider;
  public final Duration labelTtl;
  public final Duration gaugeTtl;
  public final Duration maxSpanDuration;
  public final Duration maxFutureSkew;
  public final int maxBodyBytes;
  public final int queueCapacity;

  // -- abuse and fault bounds (issue 11) --
  /** Bytes the embedded receiver log may hold until a checkpoint covers them. */
  public final long receiverLogBytes;

  public final RequestLimits requestLimits;
  public final HttpLimits httpLimits;

  /** Distinct gen_ai.provider.name values; further ones fold into "other". */
  public final int maxProviders;

  /** Series budget of the metrics sink. */
  public final int maxSeries;

  public final long maxTokensPerCall;

  /** detector.* keys with the prefix stripped, for DetectorSettings.fromMap. */
  public final Map<String, String> detector;

  /** Every resolved key, for printing. */
  public final Map<String, String> resolved;

  private PipelineConfig(Map<String, String> v) {
    resolved = new TreeMap<>(v);
    source = oneOf(v, "source", Set.of("otlp", "kafka"));
    otlpHost = v.get("otlp-host");
    otlpPort = port(v, "otlp-port");
    metricsPort = port(v, "metrics-port");
    window = positive(v, "window");
    outOfOrderness = duration(v, "out-of-orderness");
    allowedLateness = duration(v, "allowed-lateness");
    idleTimeout = positive(v, "idle-timeout");
    alertsOut = v.get("alerts-out");
    dataDir = nonEmpty(v, "data-dir");
    checkpointDir = v.get("checkpoint-dir");
    checkpointInterval = positive(v, "checkpoint-interval");
    restoreFrom = v.get("restore-from");
    parallelism = intIn(v, "parallelism", 0, 512);
    kafkaBootstrap = v.get("kafka-bootstrap");
    kafkaTopic = nonEmpty(v, "kafka-topic");
    kafkaMetricsTopic =
        v.get("kafka-metrics-topic") == null ? "" : v.get("kafka-metrics-topic").strip();
    kafkaGroup = nonEmpty(v, "kafka-group");
    alertsTopic = nonEmpty(v, "alerts-topic");
    alertsDelivery = oneOf(v, "alerts-delivery", Set.of("at-least-once", "exactly-once", "none"));
    String p = v.get("pricing");
    pricing =
        p == null || p.isBlank() ? PricingTable.defaults() : PricingTable.withOverrides(Path.of(p));
    maxModelsPerProvider = intIn(v, "max-models-per-provider", 1, 100_000);
    maxServicesPerProvider = intIn(v, "max-services-per-provider", 1, 100_000);
    maxRegionsPerProvider = intIn(v, "max-regions-per-provider", 1, 100_000);
    labelTtl = positive(v, "label-ttl");
    gaugeTtl = positive(v, "gauge-ttl");
    maxSpanDuration = positive(v, "max-span-duration");
    maxFutureSkew = duration(v, "max-future-skew");
    maxBodyBytes = intIn(v, "max-body-bytes", 1024, Integer.MAX_VALUE - 1);
    queueCapacity = intIn(v, "queue-capacity", 1, 10_000_000);
    receiverLogBytes = longIn(v, "receiver-log-bytes", 1L << 20, Long.MAX_VALUE);
    requestLimits =
        new RequestLimits(
            intIn(v, "max-spans-per-request", 1, Integer.MAX_VALUE),
            intIn(v, "max-attributes-per-request", 1, Integer.MAX_VALUE),
            intIn(v, "max-elements-per-request", 1, Integer.MAX_VALUE),
            intIn(v, "max-attribute-depth", 1, 100),
            intIn(v, "max-decompression-ratio", 1, 1_000_000));
    int workers = intIn(v, "http-workers", 0, 1024);
    long inflight = longIn(v, "http-inflight-bytes", 0, Integer.MAX_VALUE);
    httpLimits =
        new HttpLimits(
            workers > 0 ? workers : HttpLimits.defaultWorkers(),
            intIn(v, "http-max-connections", 1, 1_000_000),
            positive(v, "http-idle-timeout"),
            positive(v, "http-header-timeout"),
            positive(v, "http-body-timeout"),
            longIn(v, "http-min-data-rate", 0, Long.MAX_VALUE),
            inflight > 0
                ? Math.max(inflight, maxBodyBytes)
                : Math.min(Integer.MAX_VALUE, Math.max(4L * maxBodyBytes, 64L << 20)));
    maxProviders = intIn(v, "max-providers", 1, 100_000);
    maxSeries = intIn(v, "max-series", 100, Integer.MAX_VALUE);
    maxTokensPerCall = longIn(v, "max-tokens-per-call", 1, Long.MAX_VALUE);
    Map<String, String> det = new TreeMap<>();
    v.forEach(
        (k, val) -> {
          if (k.startsWith("detector.")) {
            det.put(k.substring("detector.".length()), val);
          }
        });
    detector = Map.copyOf(det);
    if (source.equals("kafka") && (kafkaBootstrap == null || kafkaBootstrap.isBlank())) {
      throw new IllegalArgumentException("--source kafka needs --kafka-bootstrap host:9092");
    }
    if (window.toMillis() < 100) {
      throw new IllegalArgumentException(
          "--window must be at least 100ms, got '" + v.get("window") + "'");
    }
  }

  /**
   * @param configFile properties file or null
   * @param flags flag values given on the command line (key = flag name without "--")
   */
  public static PipelineConfig resolve(Path configFile, Map<String, String> flags) {
    Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
    if (configFile != null) {
      Properties props = new Properties();
      try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        props.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--config: cannot read " + configFile + ": " + e.getMessage());
      }
      for (String k : props.stringPropertyNames()) {
        String key = k.strip();
        if (!DEFAULTS.containsKey(key) && !key.startsWith("detector.")) {
          throw new IllegalArgumentException(
              configFile
                  + ": unknown key '"
                  + key
                  + "' (known: "
                  + DEFAULTS.keySet()
                  + ", detector.*)");
        }
        v.put(key, props.getProperty(k).strip());
      }
    }
    flags.forEach(
        (k, val) -> {
          if (val != null) {
            v.put(k, val);
          }
        });
    return new PipelineConfig(v);
  }

  public static PipelineConfig defaultsWith(Map<String, String> flags) {
    return resolve(null, flags);
  }

  /** This configuration with one key changed. */
  public PipelineConfig with(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(resolved);
    m.put(key, value);
    return resolve(null, m);
  }

  private static Duration duration(Map<String, String> v, String key) {
    Duration d = Durations.parse(key, v.get(key));
    if (d.isNegative()) {
      throw new IllegalArgumentException(
          "--" + key + " must not be negative, got '" + v.get(key) + "'");
    }
    return d;
  }

  private static Duration positive(Map<String, String> v, String key) {
    Duration d = duration(v, key);
    if (d.isZero()) {
      throw new IllegalArgumentException(
          "--" + key + " must be a positive duration like 10s, got '" + v.get(key) + "'");
    }
    return d;
  }

  private static int port(Map<String, String> v, String key) {
    return intIn(v, key, -1, 65535);
  }

  private static int intIn(Map<String, String> v, String key, int min, int max) {
    String s = v.get(key);
    try {
      int n = Integer.parseInt(s.strip());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--" + key + " must be an integer between " + min + " and " + max + ", got '" + s + "'");
    }
  }

  private static long longIn(Map<String, String> v, String key, long min, long max) {
    String s = v.get(key);
    try {
      long n = Long.parseLong(s.strip());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--" + key + " must be an integer between " + min + " and " + max + ", got '" + s + "'");
    }
  }

  private static String oneOf(Map<String, String> v, String key, Set<String> allowed) {
    String s = v.get(key) == null ? "" : v.get(key).strip().toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw new IllegalArgumentException(
          "--" + key + " must be one of " + new TreeSet<>(allowed) + ", got '" + v.get(key) + "'");
    }
    return s;
  }

  private static String nonEmpty(Map<String, String> v, String key) {
    String s = v.get(key);
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("--" + key + " must not be empty");
    }
    return s.strip();
  }
}
