package io.llmobserve.providers.provider;

import static io.llmobserve.providers.body.Field.NUMBER;
import static io.llmobserve.providers.body.Field.STRING;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.body.Fields;
import io.llmobserve.providers.body.RequestBodyReader;
import io.llmobserve.providers.body.ResponseBodyReader;

/** Ollama's own API (/api/chat, /api/generate, /api/embed; NDJSON streams); always self-hosted. */
public final class Ollama extends Provider {
  static final int DEFAULT_PORT = 11434;

  public Ollama() {
    super(GenAiAttributes.PROVIDER_OLLAMA);
  }

  public static boolean isOllamaShape(String path) {
    return path.endsWith("/api/chat")
        || path.endsWith("/api/generate")
        || path.endsWith("/api/embed")
        || path.endsWith("/api/embeddings");
  }

  @Override
  public LlmEndpoint byPathShape(
      String host,
      int port,
      String path,
      String operation,
      HeaderReader requestHeaders,
      boolean privateHost) {
    return port == DEFAULT_PORT || isOllamaShape(path)
        ? new LlmEndpoint(name(), operation, null, false, null, true)
        : null;
  }

  @Override
  public String hosting() {
    return GenAiAttributes.HOSTING_SELF_HOSTED;
  }

  @Override
  public void requestFields(Fields.Builder f) {
    f.underAtMost("temperature", NUMBER, RequestBodyReader.T_TEMPERATURE, 32, 2, "options")
        .underAtMost("num_predict", NUMBER, RequestBodyReader.T_MAX_TOKENS, 32, 2, "options");
  }

  @Override
  public void responseFields(Fields.Builder f) {
    f.top("prompt_eval_count", NUMBER, ResponseBodyReader.T_INPUT, 24)
        .top("eval_count", NUMBER, ResponseBodyReader.T_OUTPUT, 24)
        .anyAtMost("done_reason", STRING, ResponseBodyReader.T_FINISH, 64, 4);
  }
}
