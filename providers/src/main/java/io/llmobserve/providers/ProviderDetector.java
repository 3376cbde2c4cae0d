package io.llmobserve.providers;

import io.llmobserve.providers.detect.CustomEndpoint;
import io.llmobserve.providers.detect.Paths;
import io.llmobserve.providers.provider.AwsBedrock;
import io.llmobserve.providers.provider.AzureOpenAi;
import io.llmobserve.providers.provider.Gemini;
import io.llmobserve.providers.provider.Provider;
import io.llmobserve.providers.provider.Providers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decides whether an outbound HTTP request is an LLM call, and to which provider.
 *
 * <p>The agent codes against {@link #fromConfig(String)} and {@link #detect}. detect must be cheap
 * for non-LLM traffic (no allocation on the common miss path) and never throw.
 *
 * <p>Order: configured endpoints (longest base URL wins), well-known provider hosts, then path
 * shapes on any host (Azure deployments, Ollama, Anthropic, OpenAI-compatible). What each provider
 * looks like is in its own class of {@code provider} ({@link Providers#ALL}). Paths that name no
 * inference operation (/v1/models, health checks, ...) are not LLM calls.
 */
public final class ProviderDetector {
  private final CustomEndpoint[] custom;
  private final List<String> malformed;

  private ProviderDetector(CustomEndpoint[] custom, List<String> malformed) {
    this.custom = custom;
    this.malformed = malformed;
  }

  /**
   * @param customEndpoints comma-separated {@code baseUrl=providerName} pairs from agent
   *     configuration ({@code otel.instrumentation.llm.endpoints}), e.g. {@code
   *     http://vllm.internal:8000=vllm,https://gw.example.com/openai=my-gateway}; null or blank
   *     means none. Malformed entries are skipped (logged by the caller).
   */
  public static ProviderDetector fromConfig(String customEndpoints) {
    List<CustomEndpoint> parsed = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    if (customEndpoints != null) {
      for (String entry : customEndpoints.split(",")) {
        String e = entry.trim();
        if (e.isEmpty()) {
          continue;
        }
        CustomEndpoint c = CustomEndpoint.parse(e);
        if (c == null) {
          bad.add(e);
        } else {
          parsed.add(c);
        }
      }
    }
    CustomEndpoint[] arr = parsed.toArray(new CustomEndpoint[0]);
    // longest prefix first, so the first match is the most specific (stable sort keeps config
    // order)
    for (int i = 1; i < arr.length; i++) {
      CustomEndpoint x = arr[i];
      int j = i - 1;
      while (j >= 0 && arr[j].pathPrefix.length() < x.pathPrefix.length()) {
        arr[j + 1] = arr[j];
        j--;
      }
      arr[j + 1] = x;
    }
    return new ProviderDetector(arr, Collections.unmodifiableList(bad));
  }

  /** Entries of the configuration that could not be parsed (for the caller to log). */
  public List<String> malformedEntries() {
    return malformed;
  }

  /**
   * @param host lower-case host name (no port)
   * @param port port, -1 when default
   * @param path raw path without query
   * @param requestHeaders request headers (e.g. anthropic-version, api-key); may be {@link
   *     HeaderReader#NONE}
   * @return the endpoint, or null when this is not an LLM call
   */
  public LlmEndpoint detect(
      String scheme, String host, int port, String path, HeaderReader requestHeaders) {
    try {
      if (host == null) {
        return null;
      }
      if (path == null) {
        path = "";
      } else {
        int q = path.indexOf('?');
        if (q >= 0) {
          path = path.substring(0, q); // defensive: the contract says no query
        }
      }
      for (CustomEndpoint c : custom) {
        if (c.matches(scheme, host, port, path)) {
          return configured(c.provider, host, path);
        }
      }
      LlmEndpoint known = knownHost(host, path);
      if (known != null) {
        return known == MISS ? null : known;
      }
      return byPathShape(
          host, port, path, requestHeaders == null ? HeaderReader.NONE : requestHeaders);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A known LLM host whose path is not an inference call (e.g. GET /v1/models). */
  private static final LlmEndpoint MISS = new LlmEndpoint("", "");

  /** A configured endpoint: OpenAI's path shapes, then Gemini's, then Bedrock's. */
  private static LlmEndpoint configured(String provider, String host, String path) {
    String op = Paths.operation(path);
    String model = null;
    boolean stream = false;
    if (op == null) {
      op = Gemini.operation(path);
      if (op != null) {
        model = Gemini.model(path);
        stream = Gemini.isStream(path);
      } else {
        op = AwsBedrock.operation(path);
        if (op != null) {
          model = AwsBedrock.model(path);
          stream = AwsBedrock.isStream(path);
        }
      }
    }
    if (op == null) {
      return null;
    }
    if (model == null) {
      model = AzureOpenAi.deployment(path);
    }
    return new LlmEndpoint(provider, op, model, stream, null, Paths.isPrivateHost(host));
  }

  /** null: not a known host; MISS: known host, not an inference path. */
  private static LlmEndpoint knownHost(String host, String path) {
    Provider p = Providers.forHost(host);
    if (p == null) {
      return null;
    }
    LlmEndpoint e = p.endpoint(host, path);
    return e == null ? MISS : e;
  }

  private static LlmEndpoint byPathShape(String host, int port, String path, HeaderReader headers) {
    String op = Paths.operation(path);
    if (op == null) {
      return null; // the common miss: a few endsWith compares, no allocation
    }
    boolean privateHost = Paths.isPrivateHost(host);
    for (Provider p : Providers.BY_PATH_SHAPE) {
      LlmEndpoint e = p.byPathShape(host, port, path, op, headers, privateHost);
      if (e != null) {
        return e;
      }
    }
    return null;
  }
}
