package io.llmobserve.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Receives Alertmanager webhook notifications (the config's receiver) and keeps them. */
final class WebhookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            notifications.add(Http.JSON.readTree(in));
          } catch (IOException e) {
            // malformed body: answer 400 so Alertmanager logs it
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
            return;
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
  }

  List<JsonNode> notifications() {
    return List.copyOf(notifications);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
