package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmobserve.simulator.engine.RequestFacts;
import io.llmobserve.simulator.engine.Route;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/** Reads the facts the simulator needs from a request body, per route. */
public final class RequestParser {
  /** Fields whose string values (directly or inside arrays/objects) are prompt text. */
  private static final Set<String> TEXT_FIELDS =
      Set.of(
          "content",
          "text",
          "input",
          "instructions",
          "system",
          "prompt",
          "contents",
          "parts",
          "systemInstruction",
          "system_instruction");

  private RequestParser() {}

  /** Thrown for bodies a real provider would reject with 400. */
  public static final class BadRequest extends Exception {
    public final String param;

    public BadRequest(String message, String param) {
      super(message);
      this.param = param;
    }
  }

  public static RequestFacts parse(Route.Match match, JsonNode body, String query)
      throws BadRequest {
    if (body == null || !body.isObject()) {
      throw new BadRequest("We could not parse the JSON body of your request.", null);
    }
    Route route = match.route();
    boolean stream = route.streamsByPath() || body.path("stream").asBoolean(false);
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    String model = match.pathModel() != null ? match.pathModel() : Json.text(body, "model");
    long promptBytes = promptBytes(body);
    switch (route) {
      case OPENAI_CHAT, AZURE_CHAT, AZURE_V1_CHAT -> {
        if (!body.has("messages") || !body.get("messages").isArray()) {
          throw new BadRequest("Missing required parameter: 'messages'.", "messages");
        }
        if (model == null && route != Route.AZURE_CHAT) {
          throw new BadRequest("you must provide a model parameter", "model");
        }
        Integer max = Json.integer(body, "max_completion_tokens");
        if (max == null) {
          max = Json.integer(body, "max_tokens");
        }
        return new RequestFacts(
            model, stream, includeUsage, max, promptBytes, 1, null, false, false);
      }
      case OPENAI_RESPONSES -> {
        if (model == null) {
          throw new BadRequest("Missing required parameter: 'model'.", "model");
        }
        return new RequestFacts(
            model,
            stream,
            false,
            Json.integer(body, "max_output_tokens"),
            promptBytes,
            1,
            null,
            false,
            false);
      }
      case OPENAI_EMBEDDINGS, AZURE_EMBEDDINGS -> {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
          throw new BadRequest("Missing required parameter: 'input'.", "input");
        }
        if (model == null && route == Route.OPENAI_EMBEDDINGS) {
          throw new BadRequest("you must provide a model parameter", "model");
        }
        int inputs = 1;
        long bytes = promptBytes;
        if (input.isArray() && input.size() > 0 && !input.get(0).isNumber()) {
          inputs = input.size();
        }
        if (input.isArray()) {
          bytes += tokenArrayBytes(input);
        }
        return new RequestFacts(
            model,
            false,
            false,
            null,
            bytes,
            inputs,
            Json.integer(body, "dimensions"),
            "base64".equals(Json.text(body, "encoding_format")),
            false);
      }
      case ANTHROPIC_MESSAGES -> {
        if (model == null) {
          throw new BadRequest("model: Field required", "model");
        }
        Integer max = Json.integer(body, "max_tokens");
        if (max == null) {
          throw new BadRequest("max_tokens: Field required", "max_tokens");
        }
        if (!body.has("messages") || !body.get("messages").isArray()) {
          throw new BadRequest("messages: Field required", "messages");
        }
        return new RequestFacts(model, stream, false, max, promptBytes, 1, null, false, false);
      }
      case OLLAMA_CHAT, OLLAMA_GENERATE -> {
        if (model == null) {
          throw new BadRequest("model is required", "model");
        }
        // Ollama streams unless told not to.
        boolean ollamaStream = body.path("stream").asBoolean(true);
        return new RequestFacts(
            model,
            ollamaStream,
            false,
            Json.integer(body.path("options"), "num_predict"),
            promptBytes,
            1,
            null,
            false,
            false);
      }
      case GEMINI_GENERATE, GEMINI_STREAM -> {
        if (!body.has("contents")) {
          throw new BadRequest(
              "* GenerateContentRequest.contents: contents is not specified", "contents");
        }
        boolean sse = query != null && query.contains("alt=sse");
        return new RequestFacts(
            model,
            stream,
            false,
            Json.integer(body.path("generationConfig"), "maxOutputTokens"),
            promptBytes,
            1,
            null,
            false,
            sse);
      }
      case BEDROCK_CONVERSE, BEDROCK_CONVERSE_STREAM -> {
        if (!body.has("messages")) {
          throw new BadRequest(
              "1 validation error detected: Value null at 'messages' failed to satisfy constraint: "
                  + "Member must not be null",
              "messages");
        }
        return new RequestFacts(
            model,
            stream,
            false,
            Json.integer(body.path("inferenceConfig"), "maxTokens"),
            promptBytes,
            1,
            null,
            false,
            false);
      }
      case BEDROCK_INVOKE, BEDROCK_INVOKE_STREAM -> {
        Integer max = Json.integer(body, "max_tokens");
        if (max == null) {
          max = Json.integer(body, "max_gen_len");
        }
        return new RequestFacts(model, stream, false, max, promptBytes, 1, null, false, false);
      }
      default -> throw new IllegalStateException("unrouted " + route);
    }
  }

  /** UTF-8 bytes of every prompt string in the body. */
  static long promptBytes(JsonNode body) {
    long total = 0;
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (e.getKey().equals("messages") || TEXT_FIELDS.contains(e.getKey())) {
        total += textBytes(e.getValue());
      }
    }
    return total;
  }

  private static long textBytes(JsonNode n) {
    if (n.isTextual()) {
      return n.asText().getBytes(StandardCharsets.UTF_8).length;
    }
    long total = 0;
    if (n.isArray()) {
      for (JsonNode c : n) {
        total += c.isTextual() ? textBytes(c) : (c.isContainerNode() ? textBytes(c) : 0);
      }
    } else if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (TEXT_FIELDS.contains(e.getKey())
            || (e.getValue().isArray() && e.getKey().equals("messages"))) {
          total += textBytes(e.getValue());
        }
      }
    }
    return total;
  }

  /** Pre-tokenised embedding input (arrays of ints) counts 4 bytes per token. */
  private static long tokenArrayBytes(JsonNode input) {
    long n = 0;
    for (JsonNode c : input) {
      if (c.isNumber()) {
        n += 4;
      } else if (c.isArray()) {
        n += tokenArrayBytes(c);
      }
    }
    return n;
  }
}
