package io.llmobserve.providers.provider;

import static io.llmobserve.providers.body.Field.NUMBER;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.body.Fields;
import io.llmobserve.providers.body.ResponseBodyReader;

/** DeepSeek: OpenAI's API plus its own cache-hit count. */
public final class DeepSeek extends OpenAiCompatible {
  public DeepSeek() {
    super(GenAiAttributes.PROVIDER_DEEPSEEK, "api.deepseek.com");
  }

  @Override
  public void responseFields(Fields.Builder f) {
    f.under(
        "prompt_cache_hit_tokens", NUMBER, ResponseBodyReader.T_DEEPSEEK_CACHE_HIT, 24, "usage");
  }
}
