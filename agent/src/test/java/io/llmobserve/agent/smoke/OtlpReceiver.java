package io.llmobserve.agent.smoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** A minimal OTLP/HTTP (protobuf) receiver on 127.0.0.1 that keeps what it is sent. */
final class OtlpReceiver implements AutoCloseable {
  /** A span with the name of the scope that produced it. */
  record ScopedSpan(String scope, Span span) {}

  private final HttpServer server;
  private final List<ScopedSpan> spans = new ArrayList<>();
  private final List<Metric> metrics = new ArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/traces", ex -> handle(ex, true));
    server.createContext("/v1/metrics", ex -> handle(ex, false));
    server.createContext("/v1/logs", ex -> handle(ex, null));
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex, Boolean traces) throws IOException {
    try (InputStream raw = ex.getRequestBody()) {
      InputStream in =
          "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))
              ? new GZIPInputStream(raw)
              : raw;
      byte[] body = in.readAllBytes();
      if (Boolean.TRUE.equals(traces)) {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
        synchronized (this) {
          for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              for (Span s : ss.getSpansList()) {
                spans.add(new ScopedSpan(ss.getScope().getName(), s));
              }
            }
          }
        }
      } else if (Boolean.FALSE.equals(traces)) {
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
        synchronized (this) {
          request
              .getResourceMetricsList()
              .forEach(
                  rm ->
                      rm.getScopeMetricsList().forEach(sm -> metrics.addAll(sm.getMetricsList())));
        }
      }
    }
    ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
    ex.sendResponseHeaders(200, -1);
    ex.close();
  }

  synchronized List<ScopedSpan> spans() {
    return new ArrayList<>(spans);
  }

  synchronized List<Metric> metrics() {
    return new ArrayList<>(metrics);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
