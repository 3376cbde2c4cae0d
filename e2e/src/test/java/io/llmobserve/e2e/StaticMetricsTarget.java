package io.llmobserve.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A /metrics endpoint serving whatever exposition text the test sets: stands in for the pipeline
 * when a test is about the rules and the Prometheus -> Alertmanager path only.
 */
final class StaticMetricsTarget implements AutoCloseable {
  private final HttpServer server;
  private volatile String body = "";

  StaticMetricsTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("content-type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  void set(String exposition) {
    body = exposition;
  }

  String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
