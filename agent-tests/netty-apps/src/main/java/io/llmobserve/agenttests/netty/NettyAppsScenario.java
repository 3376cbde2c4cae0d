package io.llmobserve.agenttests.netty;

import static io.llmobserve.agenttests.netty.Results.CALL_HEADER;
import static io.llmobserve.agenttests.netty.Results.call;
import static io.llmobserve.agenttests.netty.Results.sha256;
import static io.llmobserve.agenttests.netty.Results.values;

import io.netty.util.Version;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Every Reactor Netty user of this fork, one after the other in one JVM with the agent: raw Reactor
 * Netty HttpClient (HTTP/1.1 and HTTP/2, JSON and SSE, OpenAI and Anthropic shapes), Spring
 * WebClient, Spring AI's OpenAI and Anthropic chat models (call and stream) and the Azure OpenAI
 * SDK on its default Netty transport. Args: simulator base URL.
 */
public final class NettyAppsScenario {
  public static final String OPENAI_KEY = "sk-test-SECRET123";
  public static final String ANTHROPIC_KEY = "sk-ant-SECRET456";
  public static final String AZURE_KEY = "azkey-SECRET-0123456789";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  public static void main(String[] args) throws Exception {
    String base = args[0];
    call(
        "netty.version",
        () ->
            values(
                "reactorNetty",
                HttpClient.class.getPackage().getImplementationVersion(),
                "netty",
                Version.identify().get("netty-codec-http").artifactVersion()));

    HttpClient http1 = HttpClient.create();
    call(
        "reactor.chat", () -> reactor(http1, base, "reactor.chat", chatBody("gpt-4o-mini", false)));
    call("reactor.stream", () -> reactor(http1, base, "reactor.stream", chatBody("gpt-4o", true)));
    call(
        "reactor.anthropic.stream",
        () -> reactorAnthropic(http1, base, "reactor.anthropic.stream"));
    // HTTP/2: h2 by ALPN over TLS, h2c (prior knowledge) in cleartext
    HttpClient h2 =
        base.startsWith("https:")
            ? HttpClient.create().protocol(HttpProtocol.H2).secure()
            : HttpClient.create().protocol(HttpProtocol.H2C);
    call(
        "reactor.h2.chat",
        () -> reactor(h2, base, "reactor.h2.chat", chatBody("gpt-4o-mini", false)));
    call(
        "reactor.h2.stream",
        () -> reactor(h2, base, "reactor.h2.stream", chatBody("gpt-4o", true)));

    SpringScenarios.run(base);
    AzureSdkScenario.run(base);

    // An LLM call whose connection is refused: it fails before its request is written.
    call("reactor.refused", () -> refused(http1));
    System.out.println("DONE");
    System.exit(0);
  }

  static String chatBody(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"max_tokens\":40,\"temperature\":0.2,"
        + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  /**
   * POST, the whole response body collected as the app received it (chunk by chunk for streams).
   */
  static Map<String, String> reactor(HttpClient client, String base, String label, String body) {
    return client
        .headers(
            h ->
                h.set("Authorization", "Bearer " + OPENAI_KEY)
                    .set("Content-Type", "application/json")
                    .set(CALL_HEADER, label))
        .post()
        .uri(base + "/v1/chat/completions")
        .send(ByteBufFlux.fromString(Mono.just(body)))
        .response(
            (response, content) ->
                content
                    .asByteArray()
                    .collectList()
                    .map(chunks -> describe(response, chunks, "x-request-id")))
        .single()
        .block(TIMEOUT);
  }

  /** A chat call to a port nobody listens on; the values say which port and how it failed. */
  static Map<String, String> refused(HttpClient client) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try {
      reactor(
          client, "http://127.0.0.1:" + port, "reactor.refused", chatBody("gpt-4o-mini", false));
      return values("port", port, "failed", "no");
    } catch (RuntimeException e) {
      return values("port", port, "failed", e.getClass().getName());
    }
  }

  static Map<String, String> reactorAnthropic(HttpClient client, String base, String label) {
    String body =
        "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":128,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    return client
        .headers(
            h ->
                h.set("x-api-key", ANTHROPIC_KEY)
                    .set("anthropic-version", "2023-06-01")
                    .set("Content-Type", "application/json")
                    .set(CALL_HEADER, label))
        .post()
        .uri(base + "/v1/messages")
        .send(ByteBufFlux.fromString(Mono.just(body)))
        .response(
            (response, content) ->
                content
                    .asByteArray()
                    .collectList()
                    .map(chunks -> describe(response, chunks, "request-id")))
        .single()
        .block(TIMEOUT);
  }

  static Map<String, String> describe(
      HttpClientResponse response, List<byte[]> chunks, String idHeader) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    chunks.forEach(all::writeBytes);
    return values(
        "status",
        response.status().code(),
        "sha256",
        sha256(all.toByteArray()),
        "requestId",
        response.responseHeaders().get(idHeader),
        "protocol",
        response.version(),
        "chunks",
        chunks.size());
  }
}
