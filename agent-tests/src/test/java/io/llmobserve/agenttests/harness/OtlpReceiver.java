package io.llmobserve.agenttests.harness;

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
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP (http/protobuf) receiver on 127.0.0.1: the agent under test exports to it
 * exactly as it would to a collector. Keeps every raw request body too, so tests can scan the
 * exported bytes for secrets.
 */
public final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<ExportedSpan> spans = new ArrayList<>();
  private final List<Metric> metrics = new ArrayList<>();
  private final ByteArrayOutputStream rawBytes = new ByteArrayOutputStream();

  public OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "otlp-receiver");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

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
        notifyAll();
      }
      // An empty protobuf message is a valid (fully successful) Export*ServiceResponse.
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, 0);
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
      }
    }
  }

  public synchronized List<ExportedSpan> spans() {
    return List.copyOf(spans);
  }

  public synchronized List<Metric> metrics() {
    return List.copyOf(metrics);
  }

  /** Every exported OTLP request body (decompressed), concatenated. */
  public synchronized byte[] rawBytes() {
    return rawBytes.toByteArray();
  }

  /** Waits until the predicate holds over the spans received so far, or the timeout passes. */
  public synchronized List<ExportedSpan> awaitSpans(
      Predicate<List<ExportedSpan>> done, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!done.test(spans)) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    return List.copyOf(spans);
  }

  public synchronized void clear() {
    spans.clear();
    metrics.clear();
    rawBytes.reset();
  }

  @Override
  public void close() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
