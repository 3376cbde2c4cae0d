package io.llmobserve.pipeline.sink;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

  private final int port;
  private final String endpointName;
  private final long gaugeTtlMillis;

  public MetricsSink(int port, String endpointName, long gaugeTtlMillis) {
    this.port = port;
    this.endpointName = endpointName;
    this.gaugeTtlMillis = gaugeTtlMillis;
  }

  @Override
  public StatefulSinkWriter<MetricInput, byte[]> createWriter(WriterInitContext ctx) throws IOException {
    return restoreWriter(ctx, List.of());
  }

  @Override
  public StatefulSinkWriter<MetricInput, byte[]> restoreWriter(WriterInitContext ctx, Collection<byte[]> states)
      throws IOException {
    MetricsState state = new MetricsState(gaugeTtlMillis);
    for (byte[] s : states) {
      state.restore(s);
    }
    return new Writer(state, port, endpointName);
  }

  @Override
  public SimpleVersionedSerializer<byte[]> getWriterStateSerializer() {
    return new MetricsState.Serializer();
  }

  static final class Writer implements StatefulSinkWriter<MetricInput, byte[]> {
    private final MetricsState state;
    private final HTTPServer server;
    private final String endpointName;
    private long applied;

    Writer(MetricsState state, int port, String endpointName) throws IOException {
      this.state = state;
      this.endpointName = endpointName;
      if (port >= 0) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MetricsCollector(state));
        server = HTTPServer.builder().port(port).registry(registry).buildAndStart();
        BOUND_PORTS.put(endpointName, server.getPort());
        LOG.info("metrics: serving http://127.0.0.1:{}/metrics", server.getPort());
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
        BOUND_PORTS.remove(endpointName, server.getPort());
        server.close();
      }
    }
  }
}
