package io.llmobserve.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the simulated providers behave: timing, faults, token accounting, rate limits and personas.
 * Immutable; change it at runtime with {@link LlmSimulator#updateProfile} or {@code PUT
 * /_sim/profile}.
 *
 * <p>Persona keys: {@code openai}, {@code anthropic}, {@code azure} (any Azure deployment) and
 * {@code azure/<deployment>} (one deployment; its fields win over {@code azure}'s).
 *
 * @param latencyMs median server time of a non-streamed response
 * @param latencyJitter sigma of the log-normal factor applied to latency and TTFT (0 = none)
 * @param ttftMs median time to first chunk of a stream
 * @param chunkIntervalMs pause between streamed chunks
 * @param wordsPerChunk words (= tokens) per streamed content chunk
 * @param defaultOutputTokens output tokens when the request sets no max tokens
 * @param maxOutputTokens cap on output tokens
 * @param errorRate fraction of calls answered with {@code errorStatus}
 * @param errorStatus 500, 503 (or 529 for Anthropic overload)
 * @param throttleRate fraction of calls answered 429
 * @param retryAfterSeconds retry-after on 429 (and 503)
 * @param gzip gzip JSON responses when the client sends Accept-Encoding: gzip (Cloudflare does)
 * @param gzipStreams also gzip SSE streams (flushed per chunk with SYNC_FLUSH)
 * @param cacheReadFraction fraction of input tokens reported as cache reads
 * @param cacheCreationFraction fraction of input tokens reported as cache writes (Anthropic)
 * @param reasoningFraction fraction of output tokens that are reasoning tokens, for reasoning
 *     models (o1, o3, o4, gpt-5)
 * @param requestsLimit rate-limit requests per minute (headers count down from it)
 * @param tokensLimit rate-limit tokens per minute
 * @param enforceRateLimits answer 429 once a minute's budget is used up
 * @param serviceTier OpenAI service_tier in responses
 * @param personas per-route hosting personas (see above)
 * @param modelVersions request model -> response model (e.g. gpt-4o -> gpt-4o-2024-08-06)
 * @param maxExchanges exchanges kept in memory for {@link LlmSimulator#exchanges()}
 * @param tokenizerUsage report the TRUE token counts of what is served (OpenAI's encodings and
 *     counting rules for chat messages; o200k_base elsewhere) and answer with realistic corpus text
 *     ({@code corpus/replies.txt}) instead of one-word-per-token filler; no cache tokens
 */
public record Profile(
    long latencyMs,
    double latencyJitter,
    long ttftMs,
    long chunkIntervalMs,
    int wordsPerChunk,
    int defaultOutputTokens,
    int maxOutputTokens,
    double errorRate,
    int errorStatus,
    double throttleRate,
    int retryAfterSeconds,
    boolean gzip,
    boolean gzipStreams,
    double cacheReadFraction,
    double cacheCreationFraction,
    double reasoningFraction,
    long requestsLimit,
    long tokensLimit,
    boolean enforceRateLimits,
    String serviceTier,
    Map<String, Persona> personas,
    Map<String, String> modelVersions,
    int maxExchanges,
    boolean tokenizerUsage) {

  public Profile {
    personas =
        Collections.unmodifiableMap(new LinkedHashMap<>(personas == null ? Map.of() : personas));
    modelVersions =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(modelVersions == null ? Map.of() : modelVersions));
  }

  /** Realistic timings: ~600 ms calls, ~350 ms TTFT, ~25 ms between chunks. */
  public static Profile defaults() {
    return builder().build();
  }

  /** For tests: near-zero latency, but streams still paced (5 ms between chunks). */
  public static Profile fast() {
    return builder()
        .latencyMs(5)
        .latencyJitter(0)
        .ttftMs(5)
        .chunkIntervalMs(5)
        .defaultOutputTokens(16)
        .persona("openai", defaultPersonas().get("openai").withExtraNetworkMs(0))
        .persona("anthropic", defaultPersonas().get("anthropic").withExtraNetworkMs(0))
        .persona("azure", defaultPersonas().get("azure").withExtraNetworkMs(0))
        .persona(
            "azure/gpt-4o-eastus2",
            defaultPersonas().get("azure/gpt-4o-eastus2").withExtraNetworkMs(0))
        .persona(
            "azure/gpt-4o-swedencentral",
            defaultPersonas().get("azure/gpt-4o-swedencentral").withExtraNetworkMs(0))
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The persona for a route: {@code key} (e.g. "azure/gpt-4o-eastus2") over its provider's ({@code
   * "azure"}).
   */
  public Persona persona(String provider, String deployment) {
    Persona base = personas.getOrDefault(provider, Persona.of(null, null));
    if (deployment == null) {
      return base;
    }
    Persona specific = personas.get(provider + "/" + deployment);
    return specific == null ? base : specific.over(base);
  }

  /** Response model for a request model: the configured version, else the request model itself. */
  public String responseModel(String requestModel) {
    if (requestModel == null) {
      return null;
    }
    return modelVersions.getOrDefault(requestModel, requestModel);
  }

  public static Map<String, Persona> defaultPersonas() {
    Map<String, Persona> p = new LinkedHashMap<>();
    p.put(
        "openai",
        new Persona(null, "SJC", "fp_07871e2ad8", null, false, 10L, "user-llmobserve-sim"));
    p.put(
        "anthropic",
        new Persona(null, "LAX", null, null, false, 15L, "0f3c2a9e-6b1d-4c59-9a7e-3d1b5f0c2e47"));
    p.put("azure", new Persona("East US", null, "fp_ee1d74bde0", null, true, 20L, null));
    p.put(
        "azure/gpt-4o-eastus2",
        new Persona("East US 2", null, "fp_ee1d74bde0", "gpt-4o", true, 20L, null));
    p.put(
        "azure/gpt-4o-swedencentral",
        new Persona("Sweden Central", null, "fp_ee1d74bde0", "gpt-4o", true, 95L, null));
    return p;
  }

  public static Map<String, String> defaultModelVersions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("gpt-4o", "gpt-4o-2024-08-06");
    m.put("gpt-4o-mini", "gpt-4o-mini-2024-07-18");
    m.put("gpt-4.1", "gpt-4.1-2025-04-14");
    m.put("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14");
    m.put("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14");
    m.put("gpt-5", "gpt-5-2025-08-07");
    m.put("gpt-5-mini", "gpt-5-mini-2025-08-07");
    m.put("o3-mini", "o3-mini-2025-01-31");
    m.put("o4-mini", "o4-mini-2025-04-16");
    m.put("gpt-3.5-turbo", "gpt-3.5-turbo-0125");
    m.put("claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022");
    m.put("claude-3-5-haiku-latest", "claude-3-5-haiku-20241022");
    m.put("claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219");
    m.put("claude-sonnet-4-0", "claude-sonnet-4-20250514");
    m.put("claude-sonnet-4-5", "claude-sonnet-4-5-20250929");
    m.put("claude-haiku-4-5", "claude-haiku-4-5-20251001");
    m.put("claude-opus-4-1", "claude-opus-4-1-20250805");
    m.put("gemini-1.5-flash", "gemini-1.5-flash-002");
    m.put("gemini-1.5-pro", "gemini-1.5-pro-002");
    return m;
  }

  /** Builder starting from the realistic defaults. */
  public static final class Builder {
    private long latencyMs = 600;
    private double latencyJitter = 0.25;
    private long ttftMs = 350;
    private long chunkIntervalMs = 25;
    private int wordsPerChunk = 1;
    private int defaultOutputTokens = 48;
    private int maxOutputTokens = 4096;
    private double errorRate;
    private int errorStatus = 500;
    private double throttleRate;
    private int retryAfterSeconds = 2;
    private boolean gzip = true;
    private boolean gzipStreams;
    private double cacheReadFraction = 0.25;
    private double cacheCreationFraction = 0.1;
    private double reasoningFraction = 0.5;
    private long requestsLimit = 10_000;
    private long tokensLimit = 2_000_000;
    private boolean enforceRateLimits;
    private String serviceTier = "default";
    private final Map<String, Persona> personas = new LinkedHashMap<>(defaultPersonas());
    private final Map<String, String> modelVersions = new LinkedHashMap<>(defaultModelVersions());
    private int maxExchanges = 10_000; // ~5 KB each: bounded for long demo runs with small heaps
    private boolean tokenizerUsage;

    private Builder() {}

    private Builder(Profile p) {
      latencyMs = p.latencyMs;
      latencyJitter = p.latencyJitter;
      ttftMs = p.ttftMs;
      chunkIntervalMs = p.chunkIntervalMs;
      wordsPerChunk = p.wordsPerChunk;
      defaultOutputTokens = p.defaultOutputTokens;
      maxOutputTokens = p.maxOutputTokens;
      errorRate = p.errorRate;
      errorStatus = p.errorStatus;
      throttleRate = p.throttleRate;
      retryAfterSeconds = p.retryAfterSeconds;
      gzip = p.gzip;
      gzipStreams = p.gzipStreams;
      cacheReadFraction = p.cacheReadFraction;
      cacheCreationFraction = p.cacheCreationFraction;
      reasoningFraction = p.reasoningFraction;
      requestsLimit = p.requestsLimit;
      tokensLimit = p.tokensLimit;
      enforceRateLimits = p.enforceRateLimits;
      serviceTier = p.serviceTier;
      personas.clear();
      personas.putAll(p.personas);
      modelVersions.clear();
      modelVersions.putAll(p.modelVersions);
      maxExchanges = p.maxExchanges;
      tokenizerUsage = p.tokenizerUsage;
    }

    public Builder latencyMs(long v) {
      latencyMs = v;
      return this;
    }

    public Builder latencyJitter(double v) {
      latencyJitter = v;
      return this;
    }

    public Builder ttftMs(long v) {
      ttftMs = v;
      return this;
    }

    public Builder chunkIntervalMs(long v) {
      chunkIntervalMs = v;
      return this;
    }

    public Builder wordsPerChunk(int v) {
      wordsPerChunk = v;
      return this;
    }

    public Builder defaultOutputTokens(int v) {
      defaultOutputTokens = v;
      return this;
    }

    public Builder maxOutputTokens(int v) {
      maxOutputTokens = v;
      return this;
    }

    public Builder errorRate(double v) {
      errorRate = v;
      return this;
    }

    public Builder errorStatus(int v) {
      errorStatus = v;
      return this;
    }

    public Builder throttleRate(double v) {
      throttleRate = v;
      return this;
    }

    public Builder retryAfterSeconds(int v) {
      retryAfterSeconds = v;
      return this;
    }

    public Builder gzip(boolean v) {
      gzip = v;
      return this;
    }

    public Builder gzipStreams(boolean v) {
      gzipStreams = v;
      return this;
    }

    public Builder cacheReadFraction(double v) {
      cacheReadFraction = v;
      return this;
    }

    public Builder cacheCreationFraction(double v) {
      cacheCreationFraction = v;
      return this;
    }

    public Builder reasoningFraction(double v) {
      reasoningFraction = v;
      return this;
    }

    public Builder requestsLimit(long v) {
      requestsLimit = v;
      return this;
    }

    public Builder tokensLimit(long v) {
      tokensLimit = v;
      return this;
    }

    public Builder enforceRateLimits(boolean v) {
      enforceRateLimits = v;
      return this;
    }

    public Builder serviceTier(String v) {
      serviceTier = v;
      return this;
    }

    public Builder maxExchanges(int v) {
      maxExchanges = v;
      return this;
    }

    public Builder tokenizerUsage(boolean v) {
      tokenizerUsage = v;
      return this;
    }

    /**
     * Sets (replaces) a persona; key "openai", "anthropic", "azure" or "azure/&lt;deployment&gt;".
     */
    public Builder persona(String key, Persona p) {
      personas.put(key, p);
      return this;
    }

    /** Shortcut: an Azure deployment served from {@code region}, serving {@code model}. */
    public Builder azureDeployment(String deployment, String region, String model) {
      personas.put("azure/" + deployment, new Persona(region, null, null, model, true, null, null));
      return this;
    }

    public Builder modelVersion(String requestModel, String responseModel) {
      modelVersions.put(requestModel, responseModel);
      return this;
    }

    public Profile build() {
      return new Profile(
          latencyMs,
          latencyJitter,
          ttftMs,
          chunkIntervalMs,
          Math.max(1, wordsPerChunk),
          defaultOutputTokens,
          maxOutputTokens,
          errorRate,
          errorStatus,
          throttleRate,
          retryAfterSeconds,
          gzip,
          gzipStreams,
          cacheReadFraction,
          cacheCreationFraction,
          reasoningFraction,
          requestsLimit,
          tokensLimit,
          enforceRateLimits,
          serviceTier,
          personas,
          modelVersions,
          maxExchanges,
          tokenizerUsage);
    }
  }
}
