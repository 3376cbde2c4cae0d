package io.llmobserve.pipeline.config;

import io.llmobserve.pipeline.enrich.PricingTable;
import io.llmobserve.pipeline.http.HttpLimits;
import io.llmobserve.pipeline.limits.RequestLimits;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Every setting of the job, as parsed by picocli from the typed {@link PipelineOptions}: flags win
 * over {@code -D name=value}, which wins over the {@code --config} properties file, which wins over
 * each option's default ({@link ConfigFileDefaults}). Names are the flag names without "--"
 * (window=10s, metrics-port=9464); {@code detector.*} keys go to the detectors, {@code kafka.*}
 * keys to the job's Kafka clients. Bad values fail fast with a message naming the option and the
 * value.
 */
public final class PipelineConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The option names (without "--") that are settings, in declaration order. */
  private static final Set<String> OPTION_NAMES = optionNames();

  private static final String DETECTOR_PREFIX = "detector.";

  private static final String KAFKA_PREFIX = "kafka.";

  /** Kafka client keys the job's own options set: one way to give each. */
  private static final Map<String, String> KAFKA_KEYS_OWNED =
      Map.of("bootstrap.servers", "--kafka-bootstrap", "group.id", "--kafka-group");

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

  /**
   * kafka.* keys with the prefix stripped: properties of every Kafka client of the job (the span
   * and metrics consumers, the alert producer), e.g. security.protocol, sasl.jaas.config.
   */
  public final Map<String, String> kafka;

  /** Every setting's text as given or defaulted (detector and kafka ones with their prefix). */
  public final Map<String, String> resolved;

  private PipelineConfig(
      PipelineOptions o,
      Map<String, String> resolved,
      Map<String, String> detector,
      Map<String, String> kafka) {
    this.resolved = Collections.unmodifiableMap(new TreeMap<>(resolved));
    this.detector = Collections.unmodifiableMap(new TreeMap<>(detector));
    this.kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
    source = oneOf("source", o.source, Set.of("otlp", "kafka"));
    otlpHost = o.otlpHost;
    otlpPort = port("otlp-port", o.otlpPort);
    metricsPort = port("metrics-port", o.metricsPort);
    window = positive("window", o.window);
    outOfOrderness = notNegative("out-of-orderness", o.outOfOrderness);
    allowedLateness = notNegative("allowed-lateness", o.allowedLateness);
    idleTimeout = positive("idle-timeout", o.idleTimeout);
    alertsOut = o.alertsOut;
    dataDir = nonEmpty("data-dir", o.dataDir);
    checkpointDir = o.checkpointDir.strip();
    checkpointInterval = positive("checkpoint-interval", o.checkpointInterval);
    restoreFrom = o.restoreFrom;
    parallelism = (int) in("parallelism", o.parallelism, 0, 512);
    kafkaBootstrap = o.kafkaBootstrap;
    kafkaTopic = nonEmpty("kafka-topic", o.kafkaTopic);
    kafkaMetricsTopic = o.kafkaMetricsTopic.strip();
    kafkaGroup = nonEmpty("kafka-group", o.kafkaGroup);
    alertsTopic = nonEmpty("alerts-topic", o.alertsTopic);
    alertsDelivery =
        oneOf("alerts-delivery", o.alertsDelivery, Set.of("at-least-once", "exactly-once", "none"));
    pricing =
        o.pricing.isBlank()
            ? PricingTable.defaults()
            : PricingTable.withOverrides(Path.of(o.pricing.strip()));
    maxModelsPerProvider = (int) in("max-models-per-provider", o.maxModelsPerProvider, 1, 100_000);
    maxServicesPerProvider =
        (int) in("max-services-per-provider", o.maxServicesPerProvider, 1, 100_000);
    maxRegionsPerProvider =
        (int) in("max-regions-per-provider", o.maxRegionsPerProvider, 1, 100_000);
    labelTtl = positive("label-ttl", o.labelTtl);
    gaugeTtl = positive("gauge-ttl", o.gaugeTtl);
    maxSpanDuration = positive("max-span-duration", o.maxSpanDuration);
    maxFutureSkew = notNegative("max-future-skew", o.maxFutureSkew);
    maxBodyBytes = (int) in("max-body-bytes", o.maxBodyBytes, 1024, Integer.MAX_VALUE - 1);
    queueCapacity = (int) in("queue-capacity", o.queueCapacity, 1, 10_000_000);
    receiverLogBytes = in("receiver-log-bytes", o.receiverLogBytes, 1L << 20, Long.MAX_VALUE);
    requestLimits =
        new RequestLimits(
            (int) in("max-spans-per-request", o.maxSpansPerRequest, 1, Integer.MAX_VALUE),
            (int) in("max-attributes-per-request", o.maxAttributesPerRequest, 1, Integer.MAX_VALUE),
            (int) in("max-elements-per-request", o.maxElementsPerRequest, 1, Integer.MAX_VALUE),
            (int) in("max-attribute-depth", o.maxAttributeDepth, 1, 100),
            (int) in("max-decompression-ratio", o.maxDecompressionRatio, 1, 1_000_000));
    int workers = (int) in("http-workers", o.httpWorkers, 0, 1024);
    long inflight = in("http-inflight-bytes", o.httpInflightBytes, 0, Integer.MAX_VALUE);
    httpLimits =
        new HttpLimits(
            workers > 0 ? workers : HttpLimits.defaultWorkers(),
            (int) in("http-max-connections", o.httpMaxConnections, 1, 1_000_000),
            positive("http-idle-timeout", o.httpIdleTimeout),
            positive("http-header-timeout", o.httpHeaderTimeout),
            positive("http-body-timeout", o.httpBodyTimeout),
            in("http-min-data-rate", o.httpMinDataRate, 0, Long.MAX_VALUE),
            inflight > 0
                ? Math.max(inflight, maxBodyBytes)
                : Math.min(Integer.MAX_VALUE, Math.max(4L * maxBodyBytes, 64L << 20)));
    maxProviders = (int) in("max-providers", o.maxProviders, 1, 100_000);
    maxSeries = (int) in("max-series", o.maxSeries, 100, Integer.MAX_VALUE);
    maxTokensPerCall = in("max-tokens-per-call", o.maxTokensPerCall, 1, Long.MAX_VALUE);
    if (source.equals("kafka") && kafkaBootstrap.isBlank()) {
      throw new IllegalArgumentException("--source kafka needs --kafka-bootstrap host:9092");
    }
    if (window.toMillis() < 100) {
      throw new IllegalArgumentException(
          "--window must be at least 100ms, got '" + resolved.get("window") + "'");
    }
  }

  /**
   * The configuration these arguments give (flags, {@code -D name=value}, {@code --config file}).
   *
   * @throws IllegalArgumentException naming the option and the value, for unknown options, keys and
   *     bad values
   */
  public static PipelineConfig parse(String... args) {
    PipelineOptions options = new PipelineOptions();
    CommandLine cli = new CommandLine(options);
    try {
      cli.parseArgs(args);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(message(e), e);
    }
    return of(cli, options);
  }

  /**
   * What to tell the user about a rejected command line: picocli's message (it names the option and
   * the value), or ours when one of our checks failed while picocli was parsing (an unreadable
   * --config file).
   */
  public static String message(ParameterException e) {
    Throwable cause = e.getCause();
    return cause instanceof IllegalArgumentException && !(cause instanceof TypeConversionException)
        ? cause.getMessage()
        : e.getMessage();
  }

  /**
   * The configuration of a command line that has parsed {@code options} (its own or as a mixin).
   */
  public static PipelineConfig of(CommandLine cli, PipelineOptions options) {
    Map<String, String> resolved = new TreeMap<>();
    for (OptionSpec option : cli.getCommandSpec().options()) {
      String name = option.longestName().substring(2);
      if (OPTION_NAMES.contains(name)) {
        List<String> given = option.originalStringValues();
        resolved.put(
            name,
            cli.getParseResult().hasMatchedOption(option) && !given.isEmpty()
                ? given.get(given.size() - 1)
                : String.valueOf(option.defaultValueString()));
      }
    }
    Map<String, String> detector = new TreeMap<>();
    Map<String, String> kafka = new TreeMap<>();
    if (options.config != null) {
      Properties file = ConfigFileDefaults.read(options.config);
      for (String key : file.stringPropertyNames()) {
        if (!OPTION_NAMES.contains(key) && !isPrefixed(key)) {
          throw new IllegalArgumentException(
              options.config + ": unknown key '" + key + "' (known: " + known() + ")");
        }
        prefixedKey(detector, kafka, options.config + ": " + key, key, file.getProperty(key));
      }
    }
    // -D wins over the file, key by key
    options.extra.forEach(
        (key, value) -> {
          if (!OPTION_NAMES.contains(key) && !isPrefixed(key)) {
            throw new IllegalArgumentException(
                "-D " + key + ": unknown key (known: " + known() + ")");
          }
          prefixedKey(detector, kafka, "-D " + key, key, value);
        });
    resolved.putAll(prefixed(DETECTOR_PREFIX, detector));
    resolved.putAll(prefixed(KAFKA_PREFIX, kafka));
    return new PipelineConfig(options, resolved, detector, kafka);
  }

  /**
   * The defaults with these settings changed (names without "--", {@code detector.*} keys too; a
   * null value = not given), parsed exactly like the command line.
   */
  public static PipelineConfig defaultsWith(Map<String, String> settings) {
    List<String> args = new ArrayList<>();
    settings.forEach(
        (key, value) -> {
          if (value != null) {
            if (OPTION_NAMES.contains(key)) {
              args.add("--" + key + "=" + value);
            } else {
              args.add(ConfigFileDefaults.SET);
              args.add(key + "=" + value);
            }
          }
        });
    return parse(args.toArray(String[]::new));
  }

  /** This configuration with one setting changed. */
  public PipelineConfig with(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(resolved);
    m.put(key, value);
    return defaultsWith(m);
  }

  /** Whether {@code --name} is one of the job's settings (not --config, -D, --help ...). */
  static boolean isOption(String longName) {
    return longName.startsWith("--") && OPTION_NAMES.contains(longName.substring(2));
  }

  private static Set<String> optionNames() {
    Set<String> names = new LinkedHashSet<>();
    for (OptionSpec option : new CommandLine(new PipelineOptions()).getCommandSpec().options()) {
      names.add(option.longestName().substring(2));
    }
    names.remove(ConfigFileDefaults.CONFIG.substring(2));
    names.remove(ConfigFileDefaults.SET.substring(2));
    return Collections.unmodifiableSet(names);
  }

  private static String known() {
    return OPTION_NAMES + ", detector.*, kafka.*";
  }

  private static boolean isPrefixed(String key) {
    return key.startsWith(DETECTOR_PREFIX) || key.startsWith(KAFKA_PREFIX);
  }

  private static void prefixedKey(
      Map<String, String> detector,
      Map<String, String> kafka,
      String where,
      String key,
      String value) {
    String v = value == null ? "" : value.strip();
    if (key.startsWith(DETECTOR_PREFIX)) {
      detector.put(key.substring(DETECTOR_PREFIX.length()), v);
    } else if (key.startsWith(KAFKA_PREFIX)) {
      String property = key.substring(KAFKA_PREFIX.length());
      if (property.isEmpty()) {
        throw new IllegalArgumentException(where + ": give a Kafka client property after kafka.");
      }
      String owner = KAFKA_KEYS_OWNED.get(property);
      if (owner != null) {
        throw new IllegalArgumentException(where + ": set by the job's " + owner + "; use that");
      }
      kafka.put(property, v);
    }
  }

  private static Map<String, String> prefixed(String prefix, Map<String, String> keys) {
    Map<String, String> m = new TreeMap<>();
    keys.forEach((k, v) -> m.put(prefix + k, v));
    return m;
  }

  private Duration notNegative(String name, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(
          "--" + name + " must not be negative, got '" + resolved.get(name) + "'");
    }
    return d;
  }

  private Duration positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          "--" + name + " must be a positive duration like 10s, got '" + resolved.get(name) + "'");
    }
    return d;
  }

  private int port(String name, int port) {
    return (int) in(name, port, -1, 65535);
  }

  private long in(String name, long n, long min, long max) {
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          "--"
              + name
              + " must be an integer between "
              + min
              + " and "
              + max
              + ", got '"
              + resolved.get(name)
              + "'");
    }
    return n;
  }

  private static String oneOf(String name, String value, Set<String> allowed) {
    String s = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw new IllegalArgumentException(
          "--" + name + " must be one of " + new TreeSet<>(allowed) + ", got '" + value + "'");
    }
    return s;
  }

  private static String nonEmpty(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " must not be empty");
    }
    return value.strip();
  }
}
