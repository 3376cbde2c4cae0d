package io.llmobserve.providers.provider;

import static io.llmobserve.providers.body.Field.NUMBER;
import static io.llmobserve.providers.body.Field.STRING;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.body.Fields;
import io.llmobserve.providers.body.RequestBodyReader;
import io.llmobserve.providers.body.ResponseBodyReader;
import io.llmobserve.providers.detect.Paths;

/**
 * Google Gemini API (generativelanguage.googleapis.com, the Google GenAI SDKs): ".../models/
 * {model}:method" paths, usageMetadata, Google's front-end headers. {@link VertexAi} serves the
 * same bodies.
 */
public class Gemini extends Provider {
  private static final String[] HOSTS = {"generativelanguage.googleapis.com"};

  public Gemini() {
    super(GenAiAttributes.PROVIDER_GEMINI);
  }

  protected Gemini(String name) {
    super(name);
  }

  @Override
  public String[] hosts() {
    return HOSTS;
  }

  @Override
  public LlmEndpoint endpoint(String host, String path) {
    return inRegion(path, null);
  }

  LlmEndpoint inRegion(String path, String region) {
    String op = operation(path);
    return op == null
        ? null
        : new LlmEndpoint(name(), op, model(path), isStream(path), region, false);
  }

  /** ":method" paths: generate_content, embeddings, chat (rawPredict); else OpenAI's shapes. */
  public static String operation(String path) {
    int colon = path.lastIndexOf(':');
    if (colon < 0) {
      return Paths.operation(path); // OpenAI-compatible endpoints of Gemini and Vertex
    }
    if (path.startsWith("generateContent", colon + 1)
        || path.startsWith("streamGenerateContent", colon + 1)) {
      return GenAiAttributes.OP_GENERATE_CONTENT;
    }
    if (path.startsWith("embedContent", colon + 1)
        || path.startsWith("batchEmbedContents", colon + 1)) {
      return GenAiAttributes.OP_EMBEDDINGS;
    }
    if (path.startsWith("rawPredict", colon + 1)
        || path.startsWith("streamRawPredict", colon + 1)) {
      return GenAiAttributes.OP_CHAT; // partner models (Claude on Vertex)
    }
    return null;
  }

  public static boolean isStream(String path) {
    int colon = path.lastIndexOf(':');
    return colon >= 0
        && (path.startsWith("streamGenerateContent", colon + 1)
            || path.startsWith("streamRawPredict", colon + 1));
  }

  /** "models/{model}:method" -> model, or null. */
  public static String model(String path) {
    int colon = path.lastIndexOf(':');
    int m = path.lastIndexOf("/models/", colon < 0 ? path.length() : colon);
    if (m < 0 || colon < 0 || colon <= m + 8) {
      return null;
    }
    return Paths.decode(path.substring(m + 8, colon));
  }

  @Override
  public String hosting() {
    return GenAiAttributes.HOSTING_GCP;
  }

  @Override
  public boolean isCloud() {
    return true;
  }

  @Override
  public boolean servedByItsCloud(HeaderReader h) {
    String server = h.get("server");
    if (server != null
        && (server.contains("Google Frontend")
            || server.equals("ESF")
            || server.startsWith("scaffolding on HTTPServer2"))) {
      return true;
    }
    String via = h.get("via");
    if (via != null && via.toLowerCase(java.util.Locale.ROOT).contains("google")) {
      return true;
    }
    return h.get("x-goog-request-id") != null
        || h.get("x-goog-safety-encoding") != null
        || h.get("x-guploader-uploadid") != null
        || h.get("x-cloud-trace-context") != null;
  }

  @Override
  public void requestFields(Fields.Builder f) {
    f.underAtMost("temperature", NUMBER, RequestBodyReader.T_TEMPERATURE, 32, 2, "generationConfig")
        .underAtMost(
            "maxOutputTokens", NUMBER, RequestBodyReader.T_MAX_TOKENS, 32, 2, "generationConfig");
  }

  @Override
  public void responseFields(Fields.Builder f) {
    f.root("modelVersion", STRING, ResponseBodyReader.T_MODEL, 256)
        .root("responseId", STRING, ResponseBodyReader.T_ID, 256)
        .under("promptTokenCount", NUMBER, ResponseBodyReader.T_INPUT, 24, "usageMetadata")
        .under("candidatesTokenCount", NUMBER, ResponseBodyReader.T_OUTPUT, 24, "usageMetadata")
        // thinking tokens are billed on top of the candidates
        .under("thoughtsTokenCount", NUMBER, ResponseBodyReader.T_THOUGHTS, 24, "usageMetadata")
        .under(
            "cachedContentTokenCount",
            NUMBER,
            ResponseBodyReader.T_CACHE_READ_INCLUDED,
            24,
            "usageMetadata")
        .anyAtMost("finishReason", STRING, ResponseBodyReader.T_FINISH, 64, 4);
  }
}
