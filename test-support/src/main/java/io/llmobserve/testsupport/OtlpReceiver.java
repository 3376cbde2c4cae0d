package io.llmobserve.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real OTLP/HTTP (http/protobuf) receiver on an ephemeral loopback port: an agent under test
 * exports to it exactly as it would to a collector. It keeps every span (with its resource and
 * scope), every metric, and every raw request body, so tests can scan the exported bytes for
 * secrets. Logs are accepted and dropped. Close it with try-with-resources.
 */
public final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<ExportedSpan> spans = new ArrayList<>();
  private final List<Metric> metrics = new ArrayList<>();
  private final List<String> metricScopes = new ArrayList<>(); // parallel to metrics
  private final ByteArrayOutputStream rawBytes = new ByteArrayOutputStream();

  public OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "otlp-test-receiver");
              t.setDaemon(true);
              return t;
            });
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The OTLP/HTTP base endpoint, {@code http://127.0.0.1:PORT} (the exporter appends /v1/...). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = readBody(exchange);
      String path = exchange.getRequestURI().getPath();
      synchronized (this) {
        rawBytes.writeBytes(body);
        if (path.endsWith("/v1/traces")) {
          addSpans(ExportTraceServiceRequest.parseFrom(body));
        } else if (path.endsWith("/v1/metrics")) {
          addMetrics(ExportMetricsServiceRequest.parseFrom(body));
        }
      }
      // An empty protobuf message is a valid (fully successful) Export*ServiceResponse.
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    } catch (RuntimeException | IOException e) {
      exchange.sendResponseHeaders(400, -1);
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }

  private void addSpans(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (var span : ss.getSpansList()) {
          spans.add(new ExportedSpan(rs.getResource(), ss.getScope(), span));
        }
      }
    }
  }

  private void addMetrics(ExportMetricsServiceRequest request) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        metrics.addAll(sm.getMetricsList());
        for (int i = 0; i < sm.getMetricsCount(); i++) {
          metricScopes.add(sm.getScope().getName());
        }
      }
    }
  }

  /** Every span received so far, in arrival order. */
  public synchronized List<ExportedSpan> spans() {
    return List.copyOf(spans);
  }

  /** Every metric received so far, in arrival order (cumulative exports repeat a metric). */
  /** Metrics exported under this instrumentation scope, in arrival order. */
  public synchronized List<Metric> metricsOfScope(String scope) {
    List<Metric> of = new ArrayList<>();
    for (int i = 0; i < metrics.size(); i++) {
      if (scope.equals(metricScopes.get(i))) {
        of.add(metrics.get(i));
      }
    }
    return of;
  }

  public synchronized List<Metric> metrics() {
    return List.copyOf(metrics);
  }

  /** Every exported OTLP request body (decompressed), concatenated. */
  public synchronized byte[] rawBytes() {
    return rawBytes.toByteArray();
  }

  /**
   * Waits until {@code done} holds over the spans received so far, at most {@code timeout}, and
   * returns them either way: the caller's assertions then say what is missing.
   */
  public List<ExportedSpan> awaitSpans(Predicate<List<ExportedSpan>> done, Duration timeout) {
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> done.test(spans()));
    } catch (ConditionTimeoutException e) {
      // fall through: the spans as they are
    }
    return spans();
  }

  public synchronized void clear() {
    spans.clear();
    metrics.clear();
    metricScopes.clear();
    rawBytes.reset();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
