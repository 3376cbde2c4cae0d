package io.llmobserve.simulator.engine;

import java.util.Locale;

/** A simulated endpoint: provider, operation and the path template it answers. */
public enum Route {
  OPENAI_CHAT("openai", "chat", "/v1/chat/completions"),
  OPENAI_RESPONSES("openai", "responses", "/v1/responses"),
  OPENAI_EMBEDDINGS("openai", "embeddings", "/v1/embeddings"),
  AZURE_CHAT("azure", "chat", "/openai/deployments/{deployment}/chat/completions"),
  AZURE_V1_CHAT("azure", "chat", "/openai/v1/chat/completions"),
  AZURE_EMBEDDINGS("azure", "embeddings", "/openai/deployments/{deployment}/embeddings"),
  ANTHROPIC_MESSAGES("anthropic", "messages", "/v1/messages"),
  OLLAMA_CHAT("ollama", "chat", "/api/chat"),
  OLLAMA_GENERATE("ollama", "text_completion", "/api/generate"),
  GEMINI_GENERATE("gemini", "generate_content", "/v1beta/models/{model}:generateContent"),
  GEMINI_STREAM("gemini", "generate_content", "/v1beta/models/{model}:streamGenerateContent"),
  BEDROCK_CONVERSE("bedrock", "chat", "/model/{modelId}/converse"),
  BEDROCK_CONVERSE_STREAM("bedrock", "chat", "/model/{modelId}/converse-stream"),
  BEDROCK_INVOKE("bedrock", "chat", "/model/{modelId}/invoke"),
  BEDROCK_INVOKE_STREAM("bedrock", "chat", "/model/{modelId}/invoke-with-response-stream");

  private final String provider;
  private final String operation;
  private final String template;

  Route(String provider, String operation, String template) {
    this.provider = provider;
    this.operation = operation;
    this.template = template;
  }

  public String provider() {
    return provider;
  }

  public String operation() {
    return operation;
  }

  public String template() {
    return template;
  }

  /** Routes whose stream flag comes from the path, not the body. */
  public boolean streamsByPath() {
    return this == GEMINI_STREAM
        || this == BEDROCK_CONVERSE_STREAM
        || this == BEDROCK_INVOKE_STREAM;
  }

  /**
   * A matched route.
   *
   * @param deployment Azure deployment from the path, else null
   * @param pathModel model named in the path (Gemini, Bedrock), else null
   */
  public record Match(Route route, String deployment, String pathModel) {}

  /** Matches a decoded path (no query string). */
  public static Match match(String path) {
    if (path == null) {
      return null;
    }
    String p =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    switch (p) {
      case "/v1/chat/completions", "/chat/completions":
        return new Match(OPENAI_CHAT, null, null);
      case "/v1/responses", "/responses":
        return new Match(OPENAI_RESPONSES, null, null);
      case "/v1/embeddings", "/embeddings":
        return new Match(OPENAI_EMBEDDINGS, null, null);
      case "/v1/messages":
        return new Match(ANTHROPIC_MESSAGES, null, null);
      case "/openai/v1/chat/completions":
        return new Match(AZURE_V1_CHAT, null, null);
      case "/api/chat":
        return new Match(OLLAMA_CHAT, null, null);
      case "/api/generate":
        return new Match(OLLAMA_GENERATE, null, null);
      default:
        break;
    }
    if (p.startsWith("/openai/deployments/")) {
      String rest = p.substring("/openai/deployments/".length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        String deployment = rest.substring(0, slash);
        String tail = rest.substring(slash);
        if (tail.equals("/chat/completions")) {
          return new Match(AZURE_CHAT, deployment, null);
        }
        if (tail.equals("/embeddings")) {
          return new Match(AZURE_EMBEDDINGS, deployment, null);
        }
      }
      return null;
    }
    for (String prefix : new String[] {"/v1beta/models/", "/v1/models/"}) {
      if (p.startsWith(prefix)) {
        String rest = p.substring(prefix.length());
        int colon = rest.lastIndexOf(':');
        if (colon > 0) {
          String model = rest.substring(0, colon);
          String method = rest.substring(colon + 1).toLowerCase(Locale.ROOT);
          if (method.equals("generatecontent")) {
            return new Match(GEMINI_GENERATE, null, model);
          }
          if (method.equals("streamgeneratecontent")) {
            return new Match(GEMINI_STREAM, null, model);
          }
        }
        return null;
      }
    }
    if (p.startsWith("/model/")) {
      String rest = p.substring("/model/".length());
      int slash = rest.lastIndexOf('/');
      if (slash > 0) {
        String model = rest.substring(0, slash);
        switch (rest.substring(slash + 1)) {
          case "converse":
            return new Match(BEDROCK_CONVERSE, null, model);
          case "converse-stream":
            return new Match(BEDROCK_CONVERSE_STREAM, null, model);
          case "invoke":
            return new Match(BEDROCK_INVOKE, null, model);
          case "invoke-with-response-stream":
            return new Match(BEDROCK_INVOKE_STREAM, null, model);
          default:
            return null;
        }
      }
    }
    return null;
  }
}
