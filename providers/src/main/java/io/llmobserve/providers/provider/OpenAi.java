package io.llmobserve.providers.provider;

import static io.llmobserve.providers.body.Field.BOOLEAN;
import static io.llmobserve.providers.body.Field.NUMBER;
import static io.llmobserve.providers.body.Field.STRING;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.body.Fields;
import io.llmobserve.providers.body.RequestBodyReader;
import io.llmobserve.providers.body.ResponseBodyReader;

/**
 * OpenAI: Chat Completions, Completions, Embeddings and the Responses API. Its wire format is the
 * lingua franca: {@link OpenAiCompatible} providers and unknown servers speak it too, so the fields
 * every provider shares (model, stream, max_tokens, error envelope) are declared here.
 */
public class OpenAi extends Provider {
  private static final String[] HOSTS = {"api.openai.com"};
  private static final String[] PROCESSING = {"openai-processing-ms"};
  private static final String[] RATE_LIMITS = {
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens"
  };

  public OpenAi() {
    super(GenAiAttributes.PROVIDER_OPENAI);
  }

  protected OpenAi(String name) {
    super(name);
  }

  @Override
  public String[] hosts() {
    return HOSTS;
  }

  /** The generic path shapes served by OpenAI-compatible servers (any prefix, e.g. /openai/v1). */
  public static boolean isOpenAiShape(String path) {
    return path.endsWith("/v1/chat/completions")
        || path.endsWith("/v1/completions")
        || path.endsWith("/v1/embeddings")
        || path.endsWith("/v1/responses");
  }

  @Override
  public LlmEndpoint byPathShape(
      String host,
      int port,
      String path,
      String operation,
      HeaderReader requestHeaders,
      boolean privateHost) {
    return isOpenAiShape(path)
        ? new LlmEndpoint(name(), operation, null, false, null, privateHost)
        : null;
  }

  @Override
  public String[] processingTimeHeaders() {
    return PROCESSING;
  }

  @Override
  public String[] rateLimitHeaders() {
    return RATE_LIMITS;
  }

  @Override
  public void requestFields(Fields.Builder f) {
    // shared by every provider that names them so (Anthropic, Ollama, OpenAI-compatible servers)
    f.top("model", STRING, RequestBodyReader.T_MODEL, 256)
        .top("stream", BOOLEAN, RequestBodyReader.T_STREAM, 1)
        .top("max_tokens", NUMBER, RequestBodyReader.T_MAX_TOKENS, 32)
        .top("max_completion_tokens", NUMBER, RequestBodyReader.T_MAX_TOKENS, 32)
        .top("max_output_tokens", NUMBER, RequestBodyReader.T_MAX_TOKENS, 32)
        .top("temperature", NUMBER, RequestBodyReader.T_TEMPERATURE, 32)
        .underAtMost(
            "include_usage", BOOLEAN, RequestBodyReader.T_INCLUDE_USAGE, 1, 2, "stream_options");
  }

  @Override
  public void responseFields(Fields.Builder f) {
    // shared: every provider's response object and error envelope
    f.root("model", STRING, ResponseBodyReader.T_MODEL, 256)
        .root("id", STRING, ResponseBodyReader.T_ID, 256)
        .underAtMost("type", STRING, ResponseBodyReader.T_ERROR_TYPE, 128, 3, "error")
        .underAtMost("code", STRING | NUMBER, ResponseBodyReader.T_ERROR_CODE, 128, 3, "error");
    // Chat Completions usage; the Responses API's (input_tokens/output_tokens) too
    f.under("prompt_tokens", NUMBER, ResponseBodyReader.T_INPUT, 24, "usage")
        .under("completion_tokens", NUMBER, ResponseBodyReader.T_OUTPUT, 24, "usage")
        .under("input_tokens", NUMBER, ResponseBodyReader.T_INPUT, 24, "usage")
        .under("output_tokens", NUMBER, ResponseBodyReader.T_OUTPUT, 24, "usage")
        .under(
            "cached_tokens",
            NUMBER,
            ResponseBodyReader.T_CACHE_READ_INCLUDED,
            24,
            "prompt_tokens_details",
            "input_tokens_details")
        .under(
            "reasoning_tokens",
            NUMBER,
            ResponseBodyReader.T_REASONING,
            24,
            "completion_tokens_details",
            "output_tokens_details")
        .anyAtMost("finish_reason", STRING, ResponseBodyReader.T_FINISH, 64, 4)
        .top("system_fingerprint", STRING, ResponseBodyReader.T_FINGERPRINT, 128)
        .root("service_tier", STRING, ResponseBodyReader.T_SERVICE_TIER, 64)
        // Responses API: "object":"response" and its "status" stand in for a finish reason
        .top("object", STRING, ResponseBodyReader.T_OBJECT, 32)
        .root("status", STRING, ResponseBodyReader.T_STATUS, 32);
  }
}
