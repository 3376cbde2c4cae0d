package io.llmobserve.providers.provider;

import static io.llmobserve.providers.body.Field.NUMBER;
import static io.llmobserve.providers.body.Field.STRING;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.body.Fields;
import io.llmobserve.providers.body.ResponseBodyReader;

/** Anthropic: the Messages API (and the legacy /v1/complete). */
public final class Anthropic extends Provider {
  private static final String[] HOSTS = {"api.anthropic.com"};
  private static final String[] REQUEST_ID_HEADERS = {"request-id", "x-request-id"};
  private static final String[] RATE_LIMITS = {
    "anthropic-ratelimit-requests-remaining",
    "anthropic-ratelimit-tokens-remaining",
    "anthropic-ratelimit-requests-limit",
    "anthropic-ratelimit-tokens-limit"
  };

  public Anthropic() {
    super(GenAiAttributes.PROVIDER_ANTHROPIC);
  }

  @Override
  public String[] hosts() {
    return HOSTS;
  }

  @Override
  public LlmEndpoint endpoint(String host, String path) {
    if (path.endsWith("/v1/complete")) {
      return new LlmEndpoint(name(), GenAiAttributes.OP_TEXT_COMPLETION);
    }
    return super.endpoint(host, path);
  }

  @Override
  public LlmEndpoint byPathShape(
      String host,
      int port,
      String path,
      String operation,
      HeaderReader requestHeaders,
      boolean privateHost) {
    if (path.endsWith("/v1/messages") || requestHeaders.get("anthropic-version") != null) {
      return new LlmEndpoint(name(), operation, null, false, null, privateHost);
    }
    return null;
  }

  @Override
  public String[] requestIdHeaders() {
    return REQUEST_ID_HEADERS;
  }

  @Override
  public String[] rateLimitHeaders() {
    return RATE_LIMITS;
  }

  @Override
  public void responseFields(Fields.Builder f) {
    // input_tokens/output_tokens under "usage" are OpenAI's Responses API names too (see OpenAi);
    // cache reads and writes come on top of input_tokens
    f.under("cache_read_input_tokens", NUMBER, ResponseBodyReader.T_CACHE_READ_EXTRA, 24, "usage")
        .under(
            "cache_creation_input_tokens",
            NUMBER,
            ResponseBodyReader.T_CACHE_WRITE_EXTRA,
            24,
            "usage")
        // message_start's message, or message_delta's delta
        .rootOr("stop_reason", STRING, ResponseBodyReader.T_FINISH, 64, "delta");
  }
}
