package io.llmobserve.pipeline.sink;

import io.llmobserve.pipeline.http.BoundedHttpServer;
import io.llmobserve.pipeline.http.HttpLimits;
import io.llmobserve.pipeline.http.HttpStatsCollector;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every Prometheus series in checkpointed writer state and serves it on /metrics from
 * wherever the sink runs (the local JVM, or a TaskManager in cluster mode). Run it with
 * parallelism 1: one process owns the series so counters are never split across scrapes.
 */
public class MetricsSink implements Sink<MetricInput>, SupportsWriterState<MetricInput, byte[]> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MetricsSink.class);

  /** Port actually bound by the sink named {@code endpointName}: for tests and the embedded launcher. */
  public static final Map<String, Integer> BOUND_PORTS = new ConcurrentHashMap<>();
  /**
   * The current state of the sink named {@code endpointName}, for a /metrics server outside the
   * task (embedded mode): it keeps answering while the task fails over, showing the last state
   * until the restored one replaces it.
   */
  public static final Map<String, MetricsState> LIVE_STATES = new ConcurrentHashMap<>();

  /** Collects whatever state the sink {@code endpointName} currently has (nothing before it starts). */
  public static MultiCollector liveCollector(String endpointName) {
    return () -> {
      MetricsState s = LIVE_STATES.get(endpointName);
      return s == null ? new io.prometheus.metrics.model.snapshots.MetricSnapshots() : new MetricsCollector(s).collect();
    };
  }

  private final int port;
  private final String endpointName;
  private final long gaugeTtlMillis;
  private final HttpLimits httpLimits;
  private final int maxSeries;

  public MetricsSink(int port, String endpointName, long gaugeTtlMillis) {
    this(port, endpointName, gaugeTtlMillis, HttpLimits.defaults(1 << 20), MetricsState.DEFAULT_MAX_SERIES);
  }

  public MetricsSink(int port, String endpointName, long gaugeTtlMillis, HttpLimits httpLimits, int maxSeries) {
    this.port = port;
    this.endpointName = endpointName;
    this.gaugeTtlMillis = gaugeTtlMillis;
    this.httpLimits = httpLimits;
    this.maxSeries = maxSeries;
  }

  @Override
  public StatefulSinkWriter<MetricInput, byte[]> createWriter(WriterInitContext ctx) throws IOException {
    return restoreWriter(ctx, List.of());
  }

  @Override
  public StatefulSinkWriter<MetricInput, byte[]> restoreWriter(WriterInitContext ctx, Collection<byte[]> states)
      throws IOException {
    MetricsState state = new MetricsState(gaugeTtlMillis, maxSeries);
    for (byte[] s : states) {
      state.restore(s);
    }
    return new Writer(state, port, endpointName, httpLimits.forScrapes());
  }

  @Override
  public SimpleVersionedSerializer<byte[]> getWriterStateSerializer() {
    return new MetricsState.Serializer();
  }

  static final class Writer implements StatefulSinkWriter<MetricInput, byte[]> {
    private final MetricsState state;
    private final BoundedHttpServer server;
    private final String endpointName;
    private long applied;

    Writer(MetricsState state, int port, String endpointName, HttpLimits limits) throws IOException {
      this.state = state;
      this.endpointName = endpointName;
      LIVE_STATES.put(endpointName, state);
      if (port >= 0) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MetricsCollector(state));
        PrometheusTextFormatWriter format = PrometheusTextFormatWriter.create();
        // Same bounds as the receiver: a slow scraper or a flood of scrapes gets 503/408, and
        // the sink's task thread is never involved.
        try {
          server = BoundedHttpServer.builder("metrics", limits)
              .bind("0.0.0.0", port)
              .route("/metrics", Set.of("GET"), 0, call -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
                format.write(out, registry.scrape());
                return BoundedHttpServer.Reply.of(200, format.getContentType(), out.toByteArray(), "ok");
              })
              .route("/-/healthy", Set.of("GET"), 0, call -> BoundedHttpServer.Reply.text(200, "ok", "ok"))
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
      if (++applied % 1024 == 0) {
        state.expireGauges();
      }
    }

    @Override
    public void flush(boolean endOfInput) {}

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
      if (server != null) {
        BOUND_PORTS.remove(endpointName, server.port());
        server.close();
      }
    }
  }
}
