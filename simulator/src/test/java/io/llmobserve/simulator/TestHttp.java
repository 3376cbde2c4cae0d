package io.llmobserve.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobserve.simulator.cli.SimulatorMain;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** JDK HttpClient helpers for the tests. */
final class TestHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient H1 =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final HttpClient H2 =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_2)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestHttp() {}

  static HttpResponse<byte[]> post(LlmSimulator sim, String path, String body, String... headers)
      throws Exception {
    return post(H1, sim, path, body, headers);
  }

  static HttpResponse<byte[]> post(
      HttpClient client, LlmSimulator sim, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The simulator's command line in a JVM of its own, stdout and stderr merged. */
  static Process simulatorProcess(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SimulatorMain.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** The base URL in the command line's first line ("llm-simulator listening on URL ..."). */
  static String listeningBaseUrl(String firstLine) {
    return firstLine.replaceAll(".*(https?://127\\.0\\.0\\.1:\\d+).*", "$1");
  }

  /** One non-streamed Anthropic message to a simulator at {@code base}, through {@code client}. */
  static HttpResponse<String> anthropicMessage(HttpClient client, String base) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
            .POST(HttpRequest.BodyPublishers.ofString(anthropic("claude-sonnet-4-5", false, 3)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> admin(LlmSimulator sim, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return H1.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<byte[]> r) throws IOException {
    return JSON.readTree(r.body());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** One server-sent event. */
  record Sse(String event, String data) {
    JsonNode json() throws IOException {
      return JSON.readTree(data);
    }
  }

  static List<Sse> sse(String body) {
    List<Sse> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      out.add(new Sse(event, data.toString()));
    }
    return out;
  }

  static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static String chat(String model, boolean stream, int maxTokens) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"stream_options\":"
        + (stream ? "{\"include_usage\":true}" : "null")
        + ",\"max_tokens\":"
        + maxTokens
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
        + "{\"role\":\"user\",\"content\":\"Say hello to the observability pipeline please\"}]}";
  }

  static String anthropic(String model, boolean stream, int maxTokens) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"max_tokens\":"
        + maxTokens
        + ",\"system\":\"You are terse.\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"Say hello to the observability pipeline please\"}]}]}";
  }
}
