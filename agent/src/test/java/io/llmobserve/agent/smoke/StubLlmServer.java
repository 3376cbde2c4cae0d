package io.llmobserve.agent.smoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible stub on 127.0.0.1: /v1/chat/completions answers JSON or SSE (with a usage
 * chunk) for the requested model; a model containing "ratelimited" gets a 429; a stream for a model
 * containing "stalled" sends its first chunk and then stays open until the stub closes; /health is
 * plain non-LLM traffic.
 */
final class StubLlmServer implements AutoCloseable {
  static final long PROMPT_TOKENS = 12;
  static final long COMPLETION_TOKENS = 5;
  private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(new DaemonThreads());
  private final CountDownLatch closing = new CountDownLatch(1);

  StubLlmServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/v1/chat/completions", this::chat);
    server.createContext("/health", ex -> respond(ex, 200, "text/plain", "ok"));
    server.setExecutor(executor); // a stalled stream must not block the other calls
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
      respond(
          ex,
          429,
          "application/json",
          "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
      return;
    }
    if (body.contains("\"stream\":true")) {
      ex.getResponseHeaders().add("Content-Type", "text/event-stream");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        String[] words = {"Hel", "lo", "!"};
        for (int i = 0; i < words.length; i++) {
          String w = words[i];
          if (i == 1 && model.contains("stalled")) {
            awaitClose();
          }
          chunk(
              out,
              "{\"id\":\"chatcmpl-"
                  + model
                  + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                  + model
                  + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                  + w
                  + "\"},\"finish_reason\":null}]}");
        }
        chunk(
            out,
            "{\"id\":\"chatcmpl-"
                + model
                + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        chunk(
            out,
            "{\"id\":\"chatcmpl-"
                + model
                + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                + model
                + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                + PROMPT_TOKENS
                + ",\"completion_tokens\":"
                + COMPLETION_TOKENS
                + ",\"total_tokens\":"
                + (PROMPT_TOKENS + COMPLETION_TOKENS)
                + "}}");
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    respond(
        ex,
        200,
        "application/json",
        "{\"id\":\"chatcmpl-"
            + model
            + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\""
            + model
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
            + PROMPT_TOKENS
            + ",\"completion_tokens\":"
            + COMPLETION_TOKENS
            + ",\"total_tokens\":"
            + (PROMPT_TOKENS + COMPLETION_TOKENS)
            + "}}");
  }

  private static void chunk(OutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void respond(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void awaitClose() {
    try {
      closing.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private static final class DaemonThreads implements ThreadFactory {
    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "stub-llm");
      t.setDaemon(true);
      return t;
    }
  }
}
