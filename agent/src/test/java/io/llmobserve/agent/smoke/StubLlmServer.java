package io.llmobserve.agent.smoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible stub on 127.0.0.1: /v1/chat/completions answers JSON or SSE (with a usage
 * chunk) for the requested model; a model containing "ratelimited" gets a 429; /health is plain
 * non-LLM traffic.
 */
final class StubLlmServer implements AutoCloseable {
  static final long PROMPT_TOKENS = 12;
  static final long COMPLETION_TOKENS = 5;
  private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");

  private final HttpServer server;

  StubLlmServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/v1/chat/completions", this::chat);
    server.createContext("/health", ex -> respond(ex, 200, "text/plain", "ok"));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void chat(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Matcher m = MODEL.matcher(body);
    String model = m.find() ? m.group(1) : "unknown";
    ex.getResponseHeaders().add("x-request-id", "req-" + model);
    ex.getResponseHeaders().add("openai-processing-ms", "42");
    if (model.contains("ratelimited")) {
      respond(ex, 429, "application/json",
          "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
      return;
    }
    if (body.contains("\"stream\":true")) {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        String[] words = {"Hel", "lo", "!"};
        for (String w : words) {
          chunk(out, "{\"id\":\"chatcmpl-" + model + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
              + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + w + "\"},\"finish_reason\":null}]}");
        }
        chunk(out, "{\"id\":\"chatcmpl-" + model + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
            + model + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        chunk(out, "{\"id\":\"chatcmpl-" + model + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
            + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS
            + ",\"completion_tokens\":" + COMPLETION_TOKENS + ",\"total_tokens\":"
            + (PROMPT_TOKENS + COMPLETION_TOKENS) + "}}");
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    respond(ex, 200, "application/json",
        "{\"id\":\"chatcmpl-" + model + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS
            + ",\"completion_tokens\":" + COMPLETION_TOKENS + ",\"total_tokens\":"
            + (PROMPT_TOKENS + COMPLETION_TOKENS) + "}}");
  }

  private static void chunk(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
