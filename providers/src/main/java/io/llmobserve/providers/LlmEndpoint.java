package io.llmobserve.providers;

/**
 * The result of recognising a request as an LLM call: which provider (gen_ai.provider.name)
 * and which operation the URL names. Immutable; instances may be cached and shared.
 *
 * <p>CONTRACT (agent codes against it): fields and constructor below are stable.
 */
public final class LlmEndpoint {
  /** gen_ai.provider.name, e.g. openai, azure.ai.openai, anthropic, or a configured name. */
  public final String provider;
  /** gen_ai.operation.name guessed from the path: chat, text_completion, embeddings, generate_content. */
  public final String operation;

  public LlmEndpoint(String provider, String operation) {
    this.provider = provider;
    this.operation = operation;
  }

  @Override
  public String toString() {
    return provider + "/" + operation;
  }
}
