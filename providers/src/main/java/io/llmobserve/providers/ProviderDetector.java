package io.llmobserve.providers;

import io.llmobserve.providers.detect.CustomEndpoint;
import io.llmobserve.providers.detect.Paths;
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
 * shapes on any host (Azure deployments, Ollama, Anthropic, OpenAI-compatible). Paths that name no
 * inference operation (/v1/models, health checks, ...) are not LLM calls.
 */
public final class ProviderDetector {
  private static final String AZURE_DEPLOYMENTS = "/openai/deployments/";

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

  private static LlmEndpoint configured(String provider, String host, String path) {
    String op = Paths.operation(path);
    String model = null;
    boolean stream = false;
    if (op == null) {
      op = Paths.googleOperation(path);
      if (op != null) {
        model = Paths.googleModel(path);
        stream = Paths.isGoogleStream(path);
      } else {
        op = Paths.bedrockOperation(path);
        if (op != null) {
          model = Paths.bedrockModel(path);
          stream = Paths.isBedrockStream(path);
        }
      }
    }
    if (op == null) {
      return null;
    }
    if (model == null) {
      model = Paths.azureDeployment(path);
    }
    return new LlmEndpoint(provider, op, model, stream, null, Paths.isPrivateHost(host));
  }

  /** null: not a known host; MISS: known host, not an inference path. */
  private static LlmEndpoint knownHost(String host, String path) {
    String provider;
    switch (host) {
      case "api.openai.com":
        provider = GenAiAttributes.PROVIDER_OPENAI;
        break;
      case "api.anthropic.com":
        if (path.endsWith("/v1/complete")) {
          return new LlmEndpoint(
              GenAiAttributes.PROVIDER_ANTHROPIC, GenAiAttributes.OP_TEXT_COMPLETION);
        }
        provider = GenAiAttributes.PROVIDER_ANTHROPIC;
        break;
      case "api.mistral.ai":
        provider = GenAiAttributes.PROVIDER_MISTRAL;
        break;
      case "api.deepseek.com":
        provider = GenAiAttributes.PROVIDER_DEEPSEEK;
        break;
      case "api.groq.com":
        provider = GenAiAttributes.PROVIDER_GROQ;
        break;
      case "api.x.ai":
        provider = GenAiAttributes.PROVIDER_X_AI;
        break;
      case "api.cohere.com":
      case "api.cohere.ai":
        return simple(GenAiAttributes.PROVIDER_COHERE, Paths.cohereOperation(path));
      case "generativelanguage.googleapis.com":
        return google(GenAiAttributes.PROVIDER_GEMINI, path, null);
      default:
        return knownHostSuffix(host, path);
    }
    return simple(provider, Paths.operation(path));
  }

  private static LlmEndpoint knownHostSuffix(String host, String path) {
    if (host.endsWith(".openai.azure.com")
        || host.endsWith(".cognitiveservices.azure.com")
        || host.endsWith(".services.ai.azure.com")) {
      String op = Paths.operation(path);
      if (op == null) {
        return MISS;
      }
      return new LlmEndpoint(
          GenAiAttributes.PROVIDER_AZURE_OPENAI,
          op,
          Paths.azureDeployment(path),
          false,
          null,
          false);
    }
    if (host.endsWith(".amazonaws.com") && host.startsWith("bedrock-runtime")) {
      String op = Paths.bedrockOperation(path);
      if (op == null) {
        return MISS;
      }
      int dot = host.indexOf('.');
      int end = host.length() - ".amazonaws.com".length();
      String region = dot > 0 && dot < end ? host.substring(dot + 1, end) : null;
      return new LlmEndpoint(
          GenAiAttributes.PROVIDER_AWS_BEDROCK,
          op,
          Paths.bedrockModel(path),
          Paths.isBedrockStream(path),
          region,
          false);
    }
    if (host.endsWith("aiplatform.googleapis.com")) {
      int dash = host.indexOf("-aiplatform.");
      return google(
          GenAiAttributes.PROVIDER_VERTEX_AI, path, dash > 0 ? host.substring(0, dash) : null);
    }
    return null;
  }

  private static LlmEndpoint google(String provider, String path, String region) {
    String op = Paths.googleOperation(path);
    if (op == null) {
      return MISS;
    }
    return new LlmEndpoint(
        provider, op, Paths.googleModel(path), Paths.isGoogleStream(path), region, false);
  }

  private static LlmEndpoint simple(String provider, String op) {
    return op == null ? MISS : new LlmEndpoint(provider, op);
  }

  private static LlmEndpoint byPathShape(String host, int port, String path, HeaderReader headers) {
    String op = Paths.operation(path);
    if (op == null) {
      return null; // the common miss: a few endsWith compares, no allocation
    }
    boolean privateHost = Paths.isPrivateHost(host);
    if (path.contains(AZURE_DEPLOYMENTS)) {
      return new LlmEndpoint(
          GenAiAttributes.PROVIDER_AZURE_OPENAI,
          op,
          Paths.azureDeployment(path),
          false,
          null,
          privateHost);
    }
    if (port == 11434 || Paths.isOllamaShape(path)) {
      return new LlmEndpoint(GenAiAttributes.PROVIDER_OLLAMA, op, null, false, null, true);
    }
    if (path.endsWith("/v1/messages") || headers.get("anthropic-version") != null) {
      return new LlmEndpoint(
          GenAiAttributes.PROVIDER_ANTHROPIC, op, null, false, null, privateHost);
    }
    if (Paths.isOpenAiShape(path)) {
      return new LlmEndpoint(GenAiAttributes.PROVIDER_OPENAI, op, null, false, null, privateHost);
    }
    return null;
  }
}
