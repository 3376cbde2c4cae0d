package io.llmobserve.simulator.protocol;

import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Outcome;

/** Renders a plan in its route's wire format. */
public final class Protocols {
  private Protocols() {}

  public static Reply render(CallPlan plan) {
    if (plan.outcome() != Outcome.OK) {
      return ErrorReplies.fault(plan);
    }
    return switch (plan.route()) {
      case OPENAI_CHAT, AZURE_CHAT, AZURE_V1_CHAT -> OpenAiChat.render(plan);
      case OPENAI_RESPONSES -> OpenAiResponses.render(plan);
      case OPENAI_EMBEDDINGS, AZURE_EMBEDDINGS -> OpenAiEmbeddings.render(plan);
      case ANTHROPIC_MESSAGES -> AnthropicMessages.render(plan);
      case OLLAMA_CHAT, OLLAMA_GENERATE -> OllamaApi.render(plan);
      case GEMINI_GENERATE, GEMINI_STREAM -> GeminiApi.render(plan);
      case BEDROCK_CONVERSE, BEDROCK_CONVERSE_STREAM, BEDROCK_INVOKE, BEDROCK_INVOKE_STREAM ->
          BedrockApi.render(plan);
    };
  }
}
