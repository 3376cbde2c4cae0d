package io.llmobserve.simulator.engine;

/** A simulated endpoint: provider, operation and the path template it answers. */
public enum Route {
  OPENAI_CHAT("openai", "chat", "/v1/chat/completions"),
  OPENAI_RESPONSES("openai", "responses", "/v1/responses"),
  OPENAI_EMBEDDINGS("openai", "embeddings", "/v1/embeddings"),
  AZURE_CHAT("azure", "chat", "/openai/deployments/{deployment}/chat/completions"),
  AZURE_V1_CHAT("azure", "chat", "/openai/v1/chat/completions"),
  AZURE_EMBEDDINGS("azure", "embeddings", "/openai/deployments/{deployment}/embeddings"),
  ANTHROPIC_MESSAGES("anthropic", "messages", "/v1/messages");

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

  /** A matched route with the Azure deployment taken from the path, if any. */
  public record Match(Route route, String deployment) {}

  public static Match match(String path) {
    if (path == null) {
      return null;
    }
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    switch (p) {
      case "/v1/chat/completions", "/chat/completions":
        return new Match(OPENAI_CHAT, null);
      case "/v1/responses", "/responses":
        return new Match(OPENAI_RESPONSES, null);
      case "/v1/embeddings", "/embeddings":
        return new Match(OPENAI_EMBEDDINGS, null);
      case "/v1/messages":
        return new Match(ANTHROPIC_MESSAGES, null);
      case "/openai/v1/chat/completions":
        return new Match(AZURE_V1_CHAT, null);
      default:
        break;
    }
    String prefix = "/openai/deployments/";
    if (p.startsWith(prefix)) {
      String rest = p.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        String deployment = rest.substring(0, slash);
        String tail = rest.substring(slash);
        if (tail.equals("/chat/completions")) {
          return new Match(AZURE_CHAT, deployment);
        }
        if (tail.equals("/embeddings")) {
          return new Match(AZURE_EMBEDDINGS, deployment);
        }
      }
    }
    return null;
  }
}
