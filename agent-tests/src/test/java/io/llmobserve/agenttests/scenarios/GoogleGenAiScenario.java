package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import java.util.Map;

/**
 * The Google GenAI Java SDK (Gemini Developer API; it runs on OkHttp): generateContent and
 * generateContentStream against the real host name, resolved to the simulator. Its API key travels
 * in {@code x-goog-api-key} and must never be recorded. Args: simulator base URL.
 */
public final class GoogleGenAiScenario {
  public static final String API_KEY = "AIzaSyGENAI-SECRET-4567";
  public static final String HOST = "generativelanguage.googleapis.com";
  public static final String MODEL = "gemini-2.0-flash";

  public static void main(String[] args) throws Exception {
    Client client =
        Client.builder()
            .apiKey(API_KEY)
            .httpOptions(HttpOptions.builder().baseUrl(Results.providerUrl(args[0], HOST)).build())
            .build();

    call(
        "genai.generate",
        () -> {
          GenerateContentResponse r =
              client.models.generateContent(MODEL, "Say hello", config("genai.generate"));
          return values(
              "id",
              r.responseId().orElse(""),
              "model",
              r.modelVersion().orElse(""),
              "output",
              r.usageMetadata().flatMap(u -> u.candidatesTokenCount()).orElse(-1));
        });

    call(
        "genai.stream",
        () -> {
          int chunks = 0;
          StringBuilder text = new StringBuilder();
          try (ResponseStream<GenerateContentResponse> stream =
              client.models.generateContentStream(MODEL, "Say hello", config("genai.stream"))) {
            for (GenerateContentResponse chunk : stream) {
              chunks++;
              text.append(chunk.text() == null ? "" : chunk.text());
            }
          }
          return values("chunks", chunks, "chars", text.length());
        });
  }

  static GenerateContentConfig config(String label) {
    return GenerateContentConfig.builder()
        .maxOutputTokens(64)
        .httpOptions(HttpOptions.builder().headers(Map.of(CALL_HEADER, label)).build())
        .build();
  }
}
