package io.llmobserve.pipeline.sink;

import io.llmobserve.pipeline.http.BoundedHttpServer;
import io.llmobserve.pipeline.http.HttpLimits;
import io.llmobserve.pipeline.http.HttpStatsCollector;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every Prometheus series in checkpointed writer state and serves it on /metrics from
 * wherever the sink runs (the local JVM, or a TaskManager in cluster mode). Run it with parallelism
 * 1: one process owns the series so counters are never split across scrapes.
 *
 * <p>Counters are shown as of the last completed checkpoint (the writer's snapshot for it is
 * committed by this sink's committer when the checkpoint completes). A restore brings back at least
 * that checkpoint, so no restore or failover ever shows a counter going backwards, and nothing
 * shown is ever lost. The price: counters lag by up to one checkpoint interval. Gauges (quantiles,
 * anomaly state) are shown at once.
 */
public class MetricsSink
    implements Sink<MetricInput>,
        SupportsWriterState<MetricInput, byte[]>,
        SupportsCommitter<Long> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MetricsSink.class);

  /**
   * Port actually bound by the sink named {@code endpointName}: for tests and the embedded
   * launcher.
   */
  public static final Map<String, Integer> BOUND_PORTS = new ConcurrentHashMap<>();

  /**
   * The current state of the sink named {@code endpointName}, for a /metrics server outside the
   * task (embedded mode): it keeps answering while the task fails over, showing the last state
   * until the restored one replaces it.
   */
  public static final Map<String, MetricsState> LIVE_STATES = new ConcurrentHashMap<>();

  /**
   * Collects whatever state the sink {@code endpointName} currently has (nothing before it starts).
   */
  public static MultiCollector liveCollector(String endpointName) {
    return new MultiCollector() {
      @Override
      public MetricSnapshots collect() {
        return collect(MetricNameFilter.ALLOW_ALL);
      }

      @Override
      public MetricSnapshots collect(Predicate<String> includedNames) {
        MetricsState s = LIVE_STATES.get(endpointName);
        return s == null ? new MetricSnapshots() : new MetricsCollector(s).collect(includedNames);
      }
    };
  }

  /** GET /metrics of {@code registry} in the Prometheus text format, honouring {@code name[]}. */
  public static BoundedHttpServer.Route scrapeRoute(PrometheusRegistry registry) {
    PrometheusTextFormatWriter format = PrometheusTextFormatWriter.create();
    return call -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      format.write(out, registry.scrape(nameFilter(call.query())));
      return BoundedHttpServer.Reply.of(200, format.getContentType(), out.toByteArray(), "ok");
    };
  }

  /** The running writer per endpoint: its committer (same task, chained) commits into it. */
  private static final Map<String, Writer> WRITERS = new ConcurrentHashMap<>();

  private final int port;
  private final String endpointName;
  private final long gaugeTtlMillis;
  private final HttpLimits httpLimits;
  private final int maxSeries;

  public MetricsSink(int port, String endpointName, long gaugeTtlMillis) {
    this(
        port,
        endpointName,
        gaugeTtlMillis,
        HttpLimits.defaults(1 << 20),
        MetricsState.DEFAULT_MAX_SERIES);
  }

  public MetricsSink(
      int port, String endpointName, long gaugeTtlMillis, HttpLimits httpLimits, int maxSeries) {
    this.port = port;
    this.endpointName = endpointName;
    this.gaugeTtlMillis = gaugeTtlMillis;
    this.httpLimits = httpLimits;
    this.maxSeries = maxSeries;
  }

  @Override
  public StatefulSinkWriter<MetricInput, byte[]> createWriter(WriterInitContext ctx)
      throws IOException {
    return restoreWriter(ctx, List.of());
  }

  @Override
  public StatefulSinkWriter<MetricInput, byte[]> restoreWriter(
      WriterInitContext ctx, Collection<byte[]> states) throws IOException {
    MetricsState state = new MetricsState(gaugeTtlMillis, maxSeries);
    for (byte[] s : states) {
      state.restore(s);
    }
    // Restored state comes from a completed checkpoint: show it at once.
    state.commit(state.counterSnapshot());
    return new Writer(state, port, endpointName, httpLimits.forScrapes());
  }

  @Override
  public Committer<Long> createCommitter(CommitterInitContext ctx) {
    return new CounterCommitter(endpointName);
  }

  @Override
  public SimpleVersionedSerializer<Long> getCommittableSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override
      public int getVersion() {
        return 1;
      }

      @Override
      public byte[] serialize(Long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
      }

      @Override
      public Long deserialize(int v, byte[] b) {
        return ByteBuffer.wrap(b).getLong();
      }
    };
  }

  /** Shows a checkpoint's counters once it completed. */
  static final class CounterCommitter implements Committer<Long> {
    private final String endpointName;

    CounterCommitter(String endpointName) {
      this.endpointName = endpointName;
    }

    @Override
    public void commit(Collection<CommitRequest<Long>> requests) {
      Writer w = WRITERS.get(endpointName);
      for (CommitRequest<Long> r : requests) {
        if (w != null) {
          w.commit(r.getCommittable());
        }
        // Else (or a sequence from before a restore): the restored state is already shown.
        r.signalAlreadyCommitted();
      }
    }

    @Override
    public void close() {}
  }

  @Override
  public SimpleVersionedSerializer<byte[]> getWriterStateSerializer() {
    return new MetricsState.Serializer();
  }

  /**
   * The metric names a scrape asked for with {@code name[]=} (as Prometheus federation and the
   * Prometheus client's own exporter accept them), or every name. {@code llm_calls_total} selects
   * the counter {@code llm_calls}.
   */
  public static Predicate<String> nameFilter(String query) {
    if (query == null || query.isEmpty()) {
      return MetricNameFilter.ALLOW_ALL;
    }
    List<String> names = new ArrayList<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0
          && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals("name[]")) {
        names.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return names.isEmpty()
        ? MetricNameFilter.ALLOW_ALL
        : MetricNameFilter.builder().nameMustBeEqualTo(names).build();
  }

  static final class Writer
      implements StatefulSinkWriter<MetricInput, byte[]>, CommittingSinkWriter<MetricInput, Long> {
    private final MetricsState state;
    private final BoundedHttpServer server;
    private final String endpointName;
    private long applied;
    private long lastExpiry = System.nanoTime();

    /** Counter snapshots waiting for their checkpoint to complete, by sequence number. */
    private final NavigableMap<Long, Map<MetricKey, Double>> pending = new TreeMap<>();

    private long sequence = System.nanoTime(); // unique across writers of this JVM

    Writer(MetricsState state, int port, String endpointName, HttpLimits limits)
        throws IOException {
      this.state = state;
      this.endpointName = endpointName;
      LIVE_STATES.put(endpointName, state);
      WRITERS.put(endpointName, this);
      if (port >= 0) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MetricsCollector(state));
        // Same bounds as the receiver: a slow scraper or a flood of scrapes gets 503/408, and
        // the sink's task thread is never involved.
        try {
          server =
              BoundedHttpServer.builder("metrics", limits)
                  .bind("0.0.0.0", port)
                  .route("/metrics", Set.of("GET"), 0, scrapeRoute(registry))
                  .route(
                      "/-/healthy",
                      Set.of("GET"),
                      0,
                      call -> BoundedHttpServer.Reply.text(200, "ok", "ok"))
                  .start();
          registry.register(new HttpStatsCollector(List.of(server)));
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException("cannot serve /metrics on port " + port + ": " + e.getMessage(), e);
        }
        BOUND_PORTS.put(endpointName, server.port());
        LOG.info("metrics: serving http://127.0.0.1:{}/metrics", server.port());
      } else {
        server = null;
      }
    }

    @Override
    public void write(MetricInput in, Context ctx) {
      state.apply(in);
      // Expiry scans every gauge: at most once per tenth of the gauge TTL (a quiet series goes
      // within 1.1 TTL); with 100k keys (4M series) a scan a second took most of the sink's time.
      if (++applied % 1024 == 0) {
        long now = System.nanoTime();
        if (now - lastExpiry >= state.expiryIntervalNanos()) {
          lastExpiry = now;
          state.expireGauges();
        }
      }
    }

    @Override
    public void flush(boolean endOfInput) {}

    /** Called just before the checkpoint barrier: the counters that checkpoint will hold. */
    @Override
    public synchronized Collection<Long> prepareCommit() {
      long seq = ++sequence;
      pending.put(seq, state.counterSnapshot());
      while (pending.size() > 16) { // checkpoints that never completed
        pending.pollFirstEntry();
      }
      return List.of(seq);
    }

    synchronized void commit(long seq) {
      Map<MetricKey, Double> snapshot = pending.get(seq);
      if (snapshot != null) {
        state.commit(snapshot);
        pending.headMap(seq, true).clear();
      }
    }

    @Override
    public List<byte[]> snapshotState(long checkpointId) throws IOException {
      state.expireGauges();
      return List.of(state.toBytes());
    }

    MetricsState state() {
      return state;
    }

    @Override
    public void close() {
      WRITERS.remove(endpointName, this);
      if (server != null) {
        BOUND_PORTS.remove(endpointName, server.port());
        server.close();
      }
    }
  }
}
