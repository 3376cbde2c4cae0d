package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Raw JDK HttpClient calls, as an app without an SDK makes them: HTTP/1.1 and HTTP/2 (h2c), send
 * and sendAsync, streams, the Azure deployment path, a gzip body read compressed, errors (500) and
 * throttling (429), Anthropic, and a Gemini-style {@code key=} URL param. Args: simulator base URL.
 */
public final class JdkHttpClientScenario {
  /** Models the tests make the simulator fail (incidents matched by model). */
  public static final String MODEL_500 = "gpt-4o-err500";

  public static final String MODEL_429 = "gpt-4o-throttled";
  public static final String URL_KEY_SECRET = "AIzaSyFAKE-SECRET789";
  public static final String AZURE_KEY = "azkey-SECRET-0123456789";

  /** The app's own span around the jdk.h2.sendAsync call. */
  public static final String APP_SPAN = "app jdk.h2.sendAsync";

  public static void main(String[] args) throws Exception {
    String base = args[0];
    HttpClient h1 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpClient h2 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    // The JDK client upgrades cleartext connections to HTTP/2 (h2c) only on a body-less request;
    // this GET upgrades the connection that the POSTs below then share.
    h2.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/models")).GET().build(),
        HttpResponse.BodyHandlers.discarding());

    call(
        "jdk.h1.send",
        () ->
            bytes(
                h1.send(
                    openAi(
                            base + "/v1/chat/completions",
                            "jdk.h1.send",
                            chatBody("gpt-4o-mini", false))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray())));

    call(
        "jdk.h1.stream",
        () ->
            stream(
                h1.send(
                    openAi(
                            base + "/v1/chat/completions",
                            "jdk.h1.stream",
                            chatBody("gpt-4o-mini", true))
                        .build(),
                    HttpResponse.BodyHandlers.ofInputStream())));

    call(
        "jdk.h2.send",
        () ->
            bytes(
                h2.send(
                    openAi(base + "/v1/chat/completions", "jdk.h2.send", chatBody("gpt-4o", false))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray())));

    // made inside an app span: the app's stage runs in the app's context (AllSdksAgentTest)
    Span appSpan =
        GlobalOpenTelemetry.getTracer("agent-tests-app").spanBuilder(APP_SPAN).startSpan();
    try (Scope ignored = appSpan.makeCurrent()) {
      call(
          "jdk.h2.sendAsync",
          () ->
              bytes(
                  h2.sendAsync(
                          openAi(
                                  base + "/v1/chat/completions",
                                  "jdk.h2.sendAsync",
                                  chatBody("gpt-4.1-mini", false))
                              .build(),
                          HttpResponse.BodyHandlers.ofByteArray())
                      // an app's stage making a non-LLM call: it runs in the app's context, with
                      // upstream's HTTP span as usual (AllSdksAgentTest)
                      .thenApply(
                          r -> {
                            nonLlmCall(h1, base + "/v1/models?after=jdk.h2.sendAsync");
                            return r;
                          })
                      .get(30, TimeUnit.SECONDS)));
    } finally {
      appSpan.end();
    }

    call(
        "jdk.h2.sendAsync.stream",
        () ->
            stream(
                h2.sendAsync(
                        openAi(
                                base + "/v1/chat/completions",
                                "jdk.h2.sendAsync.stream",
                                chatBody("gpt-4o", true))
                            .build(),
                        HttpResponse.BodyHandlers.ofInputStream())
                    .get(30, TimeUnit.SECONDS)));

    call(
        "jdk.h1.responses",
        () ->
            bytes(
                h1.send(
                    openAi(
                            base + "/v1/responses",
                            "jdk.h1.responses",
                            "{\"model\":\"o4-mini\",\"input\":\"Think, then say hi\",\"max_output_tokens\":200}")
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray())));

    call(
        "jdk.azure.eastus2",
        () ->
            bytes(
                h1.send(
                    azure(base, "gpt-4o-eastus2", "jdk.azure.eastus2", chatBody("gpt-4o", false))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray())));

    call(
        "jdk.azure.swedencentral.stream",
        () ->
            stream(
                h2.send(
                    azure(
                            base,
                            "gpt-4o-swedencentral",
                            "jdk.azure.swedencentral.stream",
                            chatBody("gpt-4o", true))
                        .build(),
                    HttpResponse.BodyHandlers.ofInputStream())));

    call(
        "jdk.gzip",
        () -> {
          HttpResponse<byte[]> r =
              h1.send(
                  openAi(base + "/v1/chat/completions", "jdk.gzip", chatBody("gpt-4o-mini", false))
                      .header("Accept-Encoding", "gzip")
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          Map<String, String> v = bytes(r);
          v.put("contentEncoding", r.headers().firstValue("content-encoding").orElse("identity"));
          try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            v.put("decodedSha256", Results.sha256(in.readAllBytes()));
          }
          return v;
        });

    call(
        "jdk.error500",
        () ->
            bytes(
                h1.send(
                    openAi(
                            base + "/v1/chat/completions",
                            "jdk.error500",
                            chatBody(MODEL_500, false))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray())));

    call(
        "jdk.throttled429",
        () ->
            bytes(
                h2.send(
                    openAi(
                            base + "/v1/chat/completions",
                            "jdk.throttled429",
                            chatBody(MODEL_429, false))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray())));

    call(
        "jdk.anthropic.stream",
        () ->
            stream(
                h1.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                        .header("x-api-key", AnthropicSdkScenario.API_KEY)
                        .header("anthropic-version", "2023-06-01")
                        .header("content-type", "application/json")
                        .header(CALL_HEADER, "jdk.anthropic.stream")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":100,\"stream\":true,"
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofInputStream())));

    // A Gemini-style API key in the query string: must never reach the exported telemetry.
    call(
        "jdk.urlkey",
        () ->
            bytes(
                h1.send(
                    openAi(
                            base + "/v1/chat/completions?key=" + URL_KEY_SECRET,
                            "jdk.urlkey",
                            chatBody("gpt-4o-mini", false))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray())));
  }

  static String chatBody(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"max_tokens\":40,\"temperature\":0.2,"
        + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  static HttpRequest.Builder openAi(String url, String label, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY)
        .header("Content-Type", "application/json")
        .header(CALL_HEADER, label)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  static HttpRequest.Builder azure(String base, String deployment, String label, String body) {
    return HttpRequest.newBuilder(
            URI.create(
                base
                    + "/openai/deployments/"
                    + deployment
                    + "/chat/completions?api-version=2024-10-21"))
        .timeout(Duration.ofSeconds(30))
        .header("api-key", AZURE_KEY)
        .header("Content-Type", "application/json")
        .header(CALL_HEADER, label)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  static void nonLlmCall(HttpClient client, String url) {
    try {
      client.send(
          HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> bytes(HttpResponse<byte[]> r) {
    return values(
        "status",
        r.statusCode(),
        "sha256",
        Results.sha256(r.body()),
        "version",
        r.version(),
        "requestId",
        requestId(r));
  }

  static Map<String, String> stream(HttpResponse<InputStream> r) throws Exception {
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readAllBytes();
    }
    return values(
        "status",
        r.statusCode(),
        "sha256",
        Results.sha256(body),
        "version",
        r.version(),
        "requestId",
        requestId(r));
  }

  static String requestId(HttpResponse<?> r) {
    return r.headers()
        .firstValue("apim-request-id") // Azure sends both; this is the provider's own
        .or(() -> r.headers().firstValue("x-request-id"))
        .or(() -> r.headers().firstValue("request-id"))
        .orElse("");
  }
}
