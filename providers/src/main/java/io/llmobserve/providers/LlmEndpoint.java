package io.llmobserve.providers;

/**
 * The result of recognising a request as an LLM call: which provider (gen_ai.provider.name) and
 * which operation the URL names. Immutable; instances may be cached and shared.
 *
 * <p>The agent codes against the fields and constructor below: keep them stable.
 */
public final class LlmEndpoint {
  /** gen_ai.provider.name, e.g. openai, azure.ai.openai, anthropic, or a configured name. */
  public final String provider;

  /**
   * gen_ai.operation.name guessed from the path: chat, text_completion, embeddings,
   * generate_content.
   */
  public final String operation;

  /**
   * Model named by the URL (Azure deployment, Gemini/Vertex/Bedrock model id), used as request
   * model when the body names none; null otherwise.
   */
  public final String pathModel;

  /** The URL itself asks for a stream (streamGenerateContent, converse-stream, ...). */
  public final boolean pathStream;

  /**
   * Region named by the host (bedrock-runtime.us-east-1..., us-central1-aiplatform...), or null.
   */
  public final String hostRegion;

  /** The server is on this machine or a private network (localhost, 10.x, ...): self-hosted. */
  public final boolean selfHosted;

  public LlmEndpoint(String provider, String operation) {
    this(provider, operation, null, false, null, false);
  }

  public LlmEndpoint(
      String provider,
      String operation,
      String pathModel,
      boolean pathStream,
      String hostRegion,
      boolean selfHosted) {
    this.provider = provider;
    this.operation = operation;
    this.pathModel = pathModel;
    this.pathStream = pathStream;
    this.hostRegion = hostRegion;
    this.selfHosted = selfHosted;
  }

  @Override
  public String toString() {
    return provider + "/" + operation;
  }
}
