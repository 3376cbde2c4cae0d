package io.llmobserve.providers.provider;

/**
 * A provider whose API is OpenAI's (same paths, bodies and headers) on its own host: Mistral, Groq,
 * xAI, DeepSeek. A new one is a line in {@link Providers#ALL}.
 */
public class OpenAiCompatible extends OpenAi {
  private final String[] hosts;

  public OpenAiCompatible(String name, String... hosts) {
    super(name);
    this.hosts = hosts.clone();
  }

  @Override
  public String[] hosts() {
    return hosts;
  }

  @Override
  public void requestFields(io.llmobserve.providers.body.Fields.Builder fields) {
    // OpenAI's, declared once by OpenAi itself
  }

  @Override
  public void responseFields(io.llmobserve.providers.body.Fields.Builder fields) {
    // OpenAI's, declared once by OpenAi itself
  }
}
