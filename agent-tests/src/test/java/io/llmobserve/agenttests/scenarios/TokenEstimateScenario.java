package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmobserve.simulator.engine.TrueUsage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Streams whose responses report no usage, so the agent must count tokens itself: openai-java
 * streaming without include_usage, raw JDK HttpClient streams (the whole chat corpus: system
 * prompts, multi-turn, tools, non-English, emoji), an Azure deployment stream, a stream the app
 * cancels halfway, and one stream WITH include_usage (must stay exact). The simulator runs in
 * tokenizer-usage mode. Args: simulator base URL.
 */
public final class TokenEstimateScenario {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Models cycled over the corpus: both encodings (gpt-4 is cl100k_base). */
  static final List<String> MODELS = List.of("gpt-4o", "gpt-4.1-mini", "gpt-4", "gpt-4o-mini");

  public static void main(String[] args) throws Exception {
    String base = args[0];
    List<String> chats = TrueUsage.chats();
    HttpClient jdk =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    // openai-java streaming, SDK defaults (no stream_options): the plain-text chats
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(base + "/v1")
            .apiKey(OpenAiSdkScenario.API_KEY)
            .maxRetries(0)
            .build();
    int sdkCalls = 0;
    for (int i = 0; i < chats.size() && sdkCalls < 3; i++) {
      JsonNode chat = JSON.readTree(chats.get(i));
      if (chat.has("tools") || !plainText(chat)) {
        continue;
      }
      String label = "tokens.openai.stream." + i;
      ChatCompletionCreateParams.Builder p =
          ChatCompletionCreateParams.builder()
              .model("gpt-4o")
              .putAdditionalHeader(CALL_HEADER, label);
      for (JsonNode m : chat.path("messages")) {
        String text = m.path("content").asText();
        switch (m.path("role").asText()) {
          case "system" -> p.addSystemMessage(text);
          case "assistant" -> p.addAssistantMessage(text);
          default -> p.addUserMessage(text);
        }
      }
      sdkCalls++;
      call(
          label,
          () -> {
            StringBuilder text = new StringBuilder();
            try (StreamResponse<ChatCompletionChunk> s =
                client.chat().completions().createStreaming(p.build())) {
              s.stream()
                  .forEach(
                      c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
            }
            return values("text", b64(text.toString()));
          });
    }
    client.close();

    // raw JDK HttpClient streams over the whole corpus
    for (int i = 0; i < chats.size(); i++) {
      String label = "tokens.jdk.stream." + i;
      String body = body(chats.get(i), MODELS.get(i % MODELS.size()), false);
      call(
          label,
          () ->
              readStream(
                  jdk.send(
                      post(base + "/v1/chat/completions", label, body).build(),
                      HttpResponse.BodyHandlers.ofInputStream()),
                  Integer.MAX_VALUE));
    }

    // Azure OpenAI deployment, streamed (the first chunk has "model": "" and filter results only)
    for (int i : new int[] {1, 6}) {
      String label = "tokens.azure.stream." + i;
      ObjectNode chat = (ObjectNode) JSON.readTree(chats.get(i));
      chat.put("stream", true);
      String body = JSON.writeValueAsString(chat);
      call(
          label,
          () ->
              readStream(
                  jdk.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  base
                                      + "/openai/deployments/gpt-4o-eastus2/chat/completions?api-version=2024-10-21"))
                          .timeout(Duration.ofSeconds(30))
                          .header("api-key", JdkHttpClientScenario.AZURE_KEY)
                          .header("Content-Type", "application/json")
                          .header(CALL_HEADER, label)
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build(),
                      HttpResponse.BodyHandlers.ofInputStream()),
                  Integer.MAX_VALUE));
    }

    // the app stops reading halfway and closes the stream
    String cancelled = body(chats.get(17), "gpt-4o", false);
    call(
        "tokens.cancelled",
        () ->
            readStream(
                jdk.send(
                    post(base + "/v1/chat/completions", "tokens.cancelled", cancelled).build(),
                    HttpResponse.BodyHandlers.ofInputStream()),
                4));

    // usage reported: exact and unmarked
    String exact = body(chats.get(0), "gpt-4o", true);
    call(
        "tokens.exact",
        () ->
            readStream(
                jdk.send(
                    post(base + "/v1/chat/completions", "tokens.exact", exact).build(),
                    HttpResponse.BodyHandlers.ofInputStream()),
                Integer.MAX_VALUE));

    System.out.println("DONE");
    System.exit(0);
  }

  static boolean plainText(JsonNode chat) {
    for (JsonNode m : chat.path("messages")) {
      if (!m.path("content").isTextual() || m.has("name") || m.has("tool_calls")) {
        return false;
      }
    }
    return true;
  }

  static String body(String chat, String model, boolean includeUsage) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(chat);
    n.put("model", model);
    n.put("stream", true);
    if (includeUsage) {
      n.putObject("stream_options").put("include_usage", true);
    }
    return JSON.writeValueAsString(n);
  }

  static HttpRequest.Builder post(String url, String label, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY)
        .header("Content-Type", "application/json")
        .header(CALL_HEADER, label)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /**
   * Reads SSE events (at most {@code maxDeltas} content deltas, then closes): the text received, as
   * base64.
   */
  static Map<String, String> readStream(HttpResponse<InputStream> r, int maxDeltas)
      throws Exception {
    StringBuilder text = new StringBuilder();
    int deltas = 0;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.startsWith("data: {")) {
          continue;
        }
        for (JsonNode ch : JSON.readTree(line.substring(6)).path("choices")) {
          JsonNode c = ch.path("delta").path("content");
          if (c.isTextual()) {
            text.append(c.asText());
            deltas++;
          }
        }
        if (deltas >= maxDeltas) {
          break; // closing the stream cancels the exchange
        }
      }
    }
    return values("status", r.statusCode(), "text", b64(text.toString()), "deltas", deltas);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
