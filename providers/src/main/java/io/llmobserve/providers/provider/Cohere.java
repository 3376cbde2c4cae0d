package io.llmobserve.providers.provider;

import static io.llmobserve.providers.body.Field.NUMBER;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.body.Fields;
import io.llmobserve.providers.body.ResponseBodyReader;
import io.llmobserve.providers.detect.Paths;

/** Cohere: /v1|v2/chat, /embed, /generate (and its OpenAI-compatible paths). */
public final class Cohere extends Provider {
  private static final String[] HOSTS = {"api.cohere.com", "api.cohere.ai"};

  public Cohere() {
    super(GenAiAttributes.PROVIDER_COHERE);
  }

  @Override
  public String[] hosts() {
    return HOSTS;
  }

  @Override
  public LlmEndpoint endpoint(String host, String path) {
    String op = operation(path);
    return op == null ? null : new LlmEndpoint(name(), op);
  }

  static String operation(String path) {
    if (path.endsWith("/chat")) {
      return GenAiAttributes.OP_CHAT;
    }
    if (path.endsWith("/embed")) {
      return GenAiAttributes.OP_EMBEDDINGS;
    }
    if (path.endsWith("/generate")) {
      return GenAiAttributes.OP_TEXT_COMPLETION;
    }
    return Paths.operation(path);
  }

  @Override
  public void responseFields(Fields.Builder f) {
    // meta.tokens (v1) / usage.tokens (v2)
    f.under("input_tokens", NUMBER, ResponseBodyReader.T_INPUT, 24, "tokens")
        .under("output_tokens", NUMBER, ResponseBodyReader.T_OUTPUT, 24, "tokens")
        .under("prompt_tokens", NUMBER, ResponseBodyReader.T_INPUT, 24, "tokens")
        .under("completion_tokens", NUMBER, ResponseBodyReader.T_OUTPUT, 24, "tokens");
  }
}
