package io.llmobserve.pipeline.sink;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Every series the pipeline exposes: counters (monotonic, summed from window increments) and gauges
 * (last closed window, with the event time they describe so stale ones can expire). Written by the
 * sink's task thread, read concurrently by the /metrics HTTP thread; snapshotted into the sink's
 * checkpointed state so a restart neither loses nor double-counts.
 */
public final class MetricsState {
  static final List<String> SERIES = List.of("service", "provider", "model", "region", "operation");
  static final List<String> SERIES_OUTCOME =
      List.of("service", "provider", "model", "region", "operation", "outcome");
  static final List<String> SERIES_TYPE =
      List.of("service", "provider", "model", "region", "operation", "type");
  static final List<String> SERIES_QUANTILE =
      List.of("service", "provider", "model", "region", "operation", "quantile");
  static final List<String> SERIES_TYPE_ESTIMATED =
      List.of("service", "provider", "model", "region", "operation", "type", "estimated");
  static final List<String> COST = List.of("service", "provider", "model", "estimated");
  static final List<String> RATELIMIT = List.of("provider", "model", "region");
  static final List<String> ANOMALY =
      List.of("kind", "service", "provider", "model", "region", "operation");
  static final List<String> REASON = List.of("reason");
  static final List<String> ROUTE =
      List.of("service", "provider", "hosting_provider", "region", "edge_pop");

  /** A gauge value and the event time (window end) it belongs to. */
  public record Gauge(double value, long eventTime) {}

  /**
   * Default budget of series (counters + gauges) outside the pipeline's own llm_pipeline_* ones.
   */
  public static final int DEFAULT_MAX_SERIES = 100_000;

  static final String SERIES_DROPPED = "llm_pipeline_series_dropped";
  static final String VALUES_DROPPED = "llm_pipeline_values_dropped";

  final Map<MetricKey, Double> counters = new ConcurrentHashMap<>();

  /**
   * Counters as of the last completed checkpoint, when the sink holds them until then (null:
   * /metrics shows the live counters). A restore starts from a completed checkpoint, so what
   * /metrics showed is never more than what a restore brings back: counters never go back.
   */
  private volatile Map<MetricKey, Double> committed;

  final Map<MetricKey, Gauge> gauges = new ConcurrentHashMap<>();
  private long maxEventTime;
  private final long gaugeTtlMillis;
  private final int maxSeries;

  public MetricsState(long gaugeTtlMillis) {
    this(gaugeTtlMillis, DEFAULT_MAX_SERIES);
  }

  /**
   * @param maxSeries budget for the number of series: a new series beyond it is not created and is
   *     counted in llm_pipeline_series_dropped_total (the pipeline's own series are exempt; they
   *     are a small fixed set)
   */
  public MetricsState(long gaugeTtlMillis, int maxSeries) {
    this.gaugeTtlMillis = gaugeTtlMillis;
    this.maxSeries = maxSeries;
  }

  public int maxSeries() {
    return maxSeries;
  }

  /** Series currently held (counters and gauges). */
  public int seriesCount() {
    return counters.size() + gauges.size();
  }

  /** false (and counted) when {@code k} is a new series and the budget is spent. */
  private boolean admit(MetricKey k, boolean exists) {
    if (exists || k.name().startsWith("llm_pipeline_") || seriesCount() < maxSeries) {
      return true;
    }
    counters.merge(MetricKey.of(SERIES_DROPPED, List.of()), 1d, Double::sum);
    return false;
  }

  private void putGauge(MetricKey k, Gauge g) {
    if (!Double.isFinite(g.value)) {
      nonFinite();
      return;
    }
    if (admit(k, gauges.containsKey(k))) {
      gauges.put(k, g);
    }
  }

  private void mergeGauge(MetricKey k, Gauge g, BinaryOperator<Gauge> f) {
    if (!Double.isFinite(g.value)) {
      nonFinite();
      return;
    }
    if (admit(k, gauges.containsKey(k))) {
      gauges.merge(k, g, f);
    }
  }

  private void nonFinite() {
    counters.merge(MetricKey.of(VALUES_DROPPED, REASON, "non_finite"), 1d, Double::sum);
  }

  public void apply(MetricInput in) {
    if (in.window != null) {
      applyWindow(in.window);
    } else if (in.anomaly != null) {
      applyAnomaly(in.anomaly);
    } else if (in.health != null) {
      applyHealth(in.health);
    } else if (in.route != null) {
      applyRoute(in.route);
    }
  }

  void applyWindow(WindowAggregate w) {
    String[] s = {w.service, w.provider, w.model, w.region, w.operation};
    add("llm_calls", SERIES_OUTCOME, w.okCalls, with(s, "ok"));
    add("llm_calls", SERIES_OUTCOME, w.errorCalls, with(s, "error"));
    add("llm_calls", SERIES_OUTCOME, w.throttledCalls, with(s, "throttled"));
    // estimated="true": counted by the agent because the response reported no usage (DESIGN.md);
    // those series exist only once something was estimated
    add(
        "llm_tokens",
        SERIES_TYPE_ESTIMATED,
        w.inputTokens - w.estimatedInputTokens,
        with(s, "input", "false"));
    add(
        "llm_tokens",
        SERIES_TYPE_ESTIMATED,
        w.outputTokens - w.estimatedOutputTokens,
        with(s, "output", "false"));
    add("llm_tokens", SERIES_TYPE_ESTIMATED, w.cacheReadTokens, with(s, "cache_read", "false"));
    add("llm_tokens", SERIES_TYPE_ESTIMATED, w.reasoningTokens, with(s, "reasoning", "false"));
    add(
        "llm_cost_usd",
        COST,
        w.costUsd - w.estimatedCostUsd,
        w.service,
        w.provider,
        w.model,
        "false");
    if (w.estimatedInputTokens != 0 || w.estimatedOutputTokens != 0 || w.estimatedCostUsd != 0) {
      add("llm_tokens", SERIES_TYPE_ESTIMATED, w.estimatedInputTokens, with(s, "input", "true"));
      add("llm_tokens", SERIES_TYPE_ESTIMATED, w.estimatedOutputTokens, with(s, "output", "true"));
      add("llm_cost_usd", COST, w.estimatedCostUsd, w.service, w.provider, w.model, "true");
    }
    long t = w.windowEnd;
    quantiles("llm_latency_seconds", s, t, w.latencyP50, w.latencyP95, w.latencyP99);
    quantiles("llm_ttft_seconds", s, t, w.ttftP50, w.ttftP95, w.ttftP99);
    quantiles("llm_network_overhead_seconds", s, t, w.overheadP50, w.overheadP95, w.overheadP99);
    if (w.minRemainingTokens >= 0) {
      MetricKey k =
          MetricKey.of("llm_ratelimit_remaining_tokens", RATELIMIT, w.provider, w.model, w.region);
      // Several services share one provider quota: lowest of the newest window wins.
      mergeGauge(
          k,
          new Gauge(w.minRemainingTokens, t),
          (old, neu) ->
              old.eventTime == neu.eventTime
                  ? new Gauge(Math.min(old.value, neu.value), t)
                  : old.eventTime > neu.eventTime ? old : neu);
    }
    if (w.maxLimitTokens >= 0) {
      MetricKey k =
          MetricKey.of("llm_ratelimit_limit_tokens", RATELIMIT, w.provider, w.model, w.region);
      // Same quota seen by several services: highest of the newest window wins.
      mergeGauge(
          k,
          new Gauge(w.maxLimitTokens, t),
          (old, neu) ->
              old.eventTime == neu.eventTime
                  ? new Gauge(Math.max(old.value, neu.value), t)
                  : old.eventTime > neu.eventTime ? old : neu);
    }
    maxEventTime = Math.max(maxEventTime, t);
  }

  void applyAnomaly(AnomalyEvent a) {
    String[] v = {a.kind, a.service, a.provider, a.model, a.region, a.operation};
    long t = Math.max(a.windowEnd, 0);
    putGauge(MetricKey.of("llm_anomaly_score", ANOMALY, v), new Gauge(a.score, t));
    putGauge(MetricKey.of("llm_anomaly_active", ANOMALY, v), new Gauge(a.active ? 1 : 0, t));
    // What the alert annotations show next to the score; NaN (not measured by that detector)
    // exports nothing rather than a NaN sample. A stale value expires like the score.
    anomalyValue("llm_anomaly_observed", v, a.observed, t);
    anomalyValue("llm_anomaly_baseline", v, a.baseline, t);
  }

  private void anomalyValue(String name, String[] v, double value, long t) {
    MetricKey k = MetricKey.of(name, ANOMALY, v);
    if (Double.isNaN(value)) {
      gauges.remove(k);
    } else {
      putGauge(k, new Gauge(value, t));
    }
  }

  void applyRoute(RouteCount r) {
    add(
        "llm_calls_by_route",
        ROUTE,
        r.calls,
        r.service,
        r.provider,
        r.hostingProvider,
        r.region,
        r.edgePop);
  }

  void applyHealth(HealthDelta h) {
    if (h.reason != null) {
      add(h.metric, REASON, h.count, h.reason);
    } else {
      add(h.metric, List.of(), h.count);
    }
  }

  /** How often {@link #expireGauges} needs to run: a tenth of the TTL, at least a second. */
  long expiryIntervalNanos() {
    return Math.max(1_000_000_000L, gaugeTtlMillis * 100_000L);
  }

  /** Drops gauges whose last window is older than the TTL (a series that went quiet). */
  public void expireGauges() {
    long cutoff = maxEventTime - gaugeTtlMillis;
    gauges
        .entrySet()
        .removeIf(
            e ->
                e.getValue().eventTime < cutoff
                    && !(e.getKey().name().equals("llm_anomaly_active") && e.getValue().value > 0));
  }

  private void quantiles(String name, String[] s, long t, double p50, double p95, double p99) {
    gauge(name, s, t, "0.5", p50);
    gauge(name, s, t, "0.95", p95);
    gauge(name, s, t, "0.99", p99);
  }

  private void gauge(String name, String[] s, long t, String q, double v) {
    if (!Double.isNaN(v)) {
      putGauge(MetricKey.of(name, SERIES_QUANTILE, with(s, q)), new Gauge(v, t));
    }
  }

  /**
   * Zero deltas still create the series: error/throttled counters exist at 0 from the first window
   * on, so ratios and rate() work before the first error.
   */
  private void add(String name, List<String> labels, double delta, String... values) {
    if (!Double.isFinite(delta)) {
      nonFinite(); // a counter never takes NaN or Inf
      return;
    }
    delta = Math.max(delta, 0); // nor a decrement (floating-point residue of late updates)
    MetricKey k = MetricKey.of(name, labels, values);
    if (admit(k, counters.containsKey(k))) {
      counters.merge(k, delta, Double::sum);
    }
  }

  private static String[] with(String[] s, String... more) {
    String[] r = Arrays.copyOf(s, s.length + more.length);
    System.arraycopy(more, 0, r, s.length, more.length);
    return r;
  }

  /** The counters /metrics shows: committed ones when held, else live ones. */
  Map<MetricKey, Double> visibleCounters() {
    Map<MetricKey, Double> c = committed;
    return c != null ? c : counters;
  }

  /** A copy of the live counters, to commit once the checkpoint that holds them completes. */
  Map<MetricKey, Double> counterSnapshot() {
    return Map.copyOf(counters);
  }

  /** Shows {@code snapshot} (from {@link #counterSnapshot}) on /metrics from now on. */
  void commit(Map<MetricKey, Double> snapshot) {
    committed = snapshot;
  }

  // ---- checkpointed form ----

  /**
   * First byte of the compact form: every label name and value is written once in a string table
   * and series refer to it by index (with 10k keys /metrics holds ~400k series whose label strings
   * repeat; the first form wrote each in full, ~40 MB per checkpoint on the sink's task thread).
   * The first form began with maxEventTime's high byte, 0 for any real time, so the two never mix.
   */
  private static final int COMPACT = 0x7E;

  /** Size of the last snapshot's series part: the next one's buffer starts that large. */
  private int lastBodyBytes;

  public byte[] toBytes() throws IOException {
    List<Map.Entry<MetricKey, Double>> cs = new ArrayList<>(counters.entrySet());
    List<Map.Entry<MetricKey, Gauge>> gs = new ArrayList<>(gauges.entrySet());
    Map<String, Integer> ids = new HashMap<>();
    List<String> table = new ArrayList<>();
    // Sized from the last snapshot: growing a buffer of hundreds of MB by doubling copied it
    // over and over (a sixth of the sink's CPU at 4M series).
    ByteArrayOutputStream body =
        new ByteArrayOutputStream(
            Math.max(lastBodyBytes + lastBodyBytes / 8, 40 * (cs.size() + gs.size()) + 64));
    DataOutputStream out = new DataOutputStream(body);
    writeVarint(out, cs.size());
    for (Map.Entry<MetricKey, Double> e : cs) {
      writeKey(out, e.getKey(), ids, table);
      out.writeDouble(e.getValue());
    }
    writeVarint(out, gs.size());
    for (Map.Entry<MetricKey, Gauge> e : gs) {
      writeKey(out, e.getKey(), ids, table);
      out.writeDouble(e.getValue().value);
      out.writeLong(e.getValue().eventTime);
    }
    out.flush();
    lastBodyBytes = body.size();
    ByteArrayOutputStream all = new ByteArrayOutputStream(body.size() + 16 * table.size() + 16);
    DataOutputStream head = new DataOutputStream(all);
    head.writeByte(COMPACT);
    head.writeLong(maxEventTime);
    writeVarint(head, table.size());
    for (String t : table) {
      head.writeUTF(t);
    }
    head.flush();
    body.writeTo(all);
    return all.toByteArray();
  }

  public void restore(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (bytes.length > 0 && bytes[0] == COMPACT) {
      in.readByte();
      maxEventTime = Math.max(maxEventTime, in.readLong());
      String[] table = new String[readVarint(in)];
      for (int i = 0; i < table.length; i++) {
        table[i] = in.readUTF();
      }
      int n = readVarint(in);
      for (int i = 0; i < n; i++) {
        counters.merge(readKey(in, table), in.readDouble(), Double::sum);
      }
      n = readVarint(in);
      for (int i = 0; i < n; i++) {
        MetricKey k = readKey(in, table);
        gauges.put(k, new Gauge(in.readDouble(), in.readLong()));
      }
      return;
    }
    maxEventTime = Math.max(maxEventTime, in.readLong());
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      counters.merge(readKey(in), in.readDouble(), Double::sum);
    }
    n = in.readInt();
    for (int i = 0; i < n; i++) {
      MetricKey k = readKey(in);
      gauges.put(k, new Gauge(in.readDouble(), in.readLong()));
    }
  }

  private static void writeKey(
      DataOutputStream out, MetricKey k, Map<String, Integer> ids, List<String> table)
      throws IOException {
    writeVarint(out, id(k.name(), ids, table));
    writeVarint(out, k.labelNames().size());
    for (int i = 0; i < k.labelNames().size(); i++) {
      writeVarint(out, id(k.labelNames().get(i), ids, table));
      writeVarint(out, id(k.labelValues().get(i), ids, table));
    }
  }

  private static int id(String s, Map<String, Integer> ids, List<String> table) {
    Integer id = ids.get(s);
    if (id == null) {
      id = table.size();
      ids.put(s, id);
      table.add(s);
    }
    return id;
  }

  private static MetricKey readKey(DataInputStream in, String[] table) throws IOException {
    String name = table[readVarint(in)];
    int n = readVarint(in);
    String[] names = new String[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = table[readVarint(in)];
      values[i] = table[readVarint(in)];
    }
    return new MetricKey(name, List.of(names), List.of(values));
  }

  private static void writeVarint(DataOutputStream out, int v) throws IOException {
    while ((v & ~0x7f) != 0) {
      out.writeByte((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.writeByte(v);
  }

  private static int readVarint(DataInputStream in) throws IOException {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.readByte();
      v |= (b & 0x7f) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new IOException("corrupt metrics state (varint)");
  }

  /** The first checkpointed form (label strings in full), still read on restore. */
  private static MetricKey readKey(DataInputStream in) throws IOException {
    String name = in.readUTF();
    int n = in.readInt();
    List<String> names = new ArrayList<>(n);
    List<String> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(in.readUTF());
      values.add(in.readUTF());
    }
    return new MetricKey(name, List.copyOf(names), List.copyOf(values));
  }

  /** Checkpoint serializer: the state is an opaque, versioned byte blob. */
  public static final class Serializer implements SimpleVersionedSerializer<byte[]> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(byte[] state) {
      return state;
    }

    @Override
    public byte[] deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("unknown metrics state version " + version);
      }
      return serialized;
    }
  }
}
