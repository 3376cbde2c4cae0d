package io.llmobserve.providers;

/**
 * Decides whether an outbound HTTP request is an LLM call, and to which provider.
 *
 * <p>CONTRACT (agent codes against it): {@link #fromConfig(String)} and {@link #detect}.
 * detect must be cheap for non-LLM traffic (no allocation on the common miss path) and never
 * throw.
 */
public final class ProviderDetector {

  /**
   * @param customEndpoints comma-separated {@code baseUrl=providerName} pairs from agent
   *     configuration ({@code otel.instrumentation.llm.endpoints}), e.g.
   *     {@code http://vllm.internal:8000=vllm,https://gw.example.com/openai=my-gateway};
   *     null or blank means none. Malformed entries are skipped (logged by the caller).
   */
  public static ProviderDetector fromConfig(String customEndpoints) {
    throw new UnsupportedOperationException("TODO providers helper");
  }

  /**
   * @param host lower-case host name (no port)
   * @param port port, -1 when default
   * @param path raw path without query
   * @param requestHeaders request headers (e.g. anthropic-version, api-key); may be {@link
   *     HeaderReader#NONE}
   * @return the endpoint, or null when this is not an LLM call
   */
  public LlmEndpoint detect(String scheme, String host, int port, String path, HeaderReader requestHeaders) {
    throw new UnsupportedOperationException("TODO providers helper");
  }
}
