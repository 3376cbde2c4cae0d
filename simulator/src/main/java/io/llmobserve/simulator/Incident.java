package io.llmobserve.simulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.Locale;

/**
 * A scheduled or injected fault. Match fields ({@code provider}, {@code region}, {@code model},
 * {@code deployment}, {@code route}) are optional: null matches everything. {@code provider} is
 * "openai", "azure" (or "azure.ai.openai"), "anthropic", "gemini" (or "gcp.gemini"), "bedrock" (or
 * "aws.bedrock") or "ollama"; {@code model} matches the request model, the Azure deployment's model
 * or the response model; {@code route} is a path prefix such as "/v1/responses".
 *
 * <p>{@code durationSeconds} null or 0 = until cleared; {@code startDelaySeconds} schedules it
 * later. {@code rate} is a fraction (0..1); {@code percent} (0..100) is accepted instead; default
 * 1.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Incident(
    String id,
    IncidentKind kind,
    String provider,
    String region,
    String model,
    String deployment,
    String route,
    Long extraLatencyMs,
    Long extraTtftMs,
    Double rate,
    Double percent,
    Integer status,
    Integer retryAfterSeconds,
    String responseModel,
    String systemFingerprint,
    String newRegion,
    String newPop,
    Integer afterChunks,
    Double durationSeconds,
    Double startDelaySeconds) {

  /** Fraction of matching calls affected (throttling storm, error burst). */
  public double effectiveRate() {
    if (rate != null) {
      return rate;
    }
    if (percent != null) {
      return percent / 100.0;
    }
    return 1.0;
  }

  public boolean matches(
      String provider,
      String region,
      String model,
      String deployment,
      String responseModel,
      String path) {
    if (this.provider != null && !providerMatches(provider)) {
      return false;
    }
    if (this.region != null && !this.region.equalsIgnoreCase(String.valueOf(region))) {
      return false;
    }
    if (this.model != null && !this.model.equals(model) && !this.model.equals(responseModel)) {
      return false;
    }
    if (this.deployment != null && !this.deployment.equals(deployment)) {
      return false;
    }
    return this.route == null || (path != null && path.startsWith(this.route));
  }

  private boolean providerMatches(String actual) {
    String want = this.provider.toLowerCase(Locale.ROOT);
    switch (want) {
      case "azure.ai.openai", "azure_openai" -> want = "azure";
      case "gcp.gemini" -> want = "gemini";
      case "aws.bedrock" -> want = "bedrock";
      default -> {}
    }
    return want.equals(actual);
  }

  public Incident withId(String newId) {
    return new Incident(
        newId,
        kind,
        provider,
        region,
        model,
        deployment,
        route,
        extraLatencyMs,
        extraTtftMs,
        rate,
        percent,
        status,
        retryAfterSeconds,
        responseModel,
        systemFingerprint,
        newRegion,
        newPop,
        afterChunks,
        durationSeconds,
        startDelaySeconds);
  }

  public static Builder builder(IncidentKind kind) {
    return new Builder(kind);
  }

  public static Builder latencySpike(long extraLatencyMs) {
    return builder(IncidentKind.LATENCY_SPIKE).extraLatencyMs(extraLatencyMs);
  }

  public static Builder ttftRegression(long extraTtftMs) {
    return builder(IncidentKind.TTFT_REGRESSION).extraTtftMs(extraTtftMs);
  }

  public static Builder throttlingStorm(double rate) {
    return builder(IncidentKind.THROTTLING_STORM).rate(rate);
  }

  public static Builder errorBurst(double rate, int status) {
    return builder(IncidentKind.ERROR_BURST).rate(rate).status(status);
  }

  public static Builder modelVersionChange(String responseModel) {
    return builder(IncidentKind.MODEL_VERSION_CHANGE).responseModel(responseModel);
  }

  public static Builder regionChange(String newRegion) {
    return builder(IncidentKind.REGION_CHANGE).newRegion(newRegion);
  }

  /**
   * Holds matching responses for {@code holdMs} before their first byte (see {@link
   * IncidentKind#HANG}).
   */
  public static Builder hang(long holdMs) {
    return builder(IncidentKind.HANG).extraLatencyMs(holdMs);
  }

  public static Builder streamAbort(double rate) {
    return builder(IncidentKind.STREAM_ABORT).rate(rate);
  }

  /**
   * Fluent builder; {@link #build()} or pass it straight to {@link
   * LlmSimulator#injectIncident(Builder)}.
   */
  public static final class Builder {
    private final IncidentKind kind;
    private String id;
    private String provider;
    private String region;
    private String model;
    private String deployment;
    private String route;
    private Long extraLatencyMs;
    private Long extraTtftMs;
    private Double rate;
    private Integer status;
    private Integer retryAfterSeconds;
    private String responseModel;
    private String systemFingerprint;
    private String newRegion;
    private String newPop;
    private Integer afterChunks;
    private Double durationSeconds;
    private Double startDelaySeconds;

    private Builder(IncidentKind kind) {
      this.kind = kind;
    }

    public Builder id(String v) {
      id = v;
      return this;
    }

    public Builder provider(String v) {
      provider = v;
      return this;
    }

    public Builder region(String v) {
      region = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder deployment(String v) {
      deployment = v;
      return this;
    }

    public Builder route(String v) {
      route = v;
      return this;
    }

    public Builder extraLatencyMs(long v) {
      extraLatencyMs = v;
      return this;
    }

    public Builder extraTtftMs(long v) {
      extraTtftMs = v;
      return this;
    }

    public Builder rate(double v) {
      rate = v;
      return this;
    }

    public Builder status(int v) {
      status = v;
      return this;
    }

    public Builder retryAfterSeconds(int v) {
      retryAfterSeconds = v;
      return this;
    }

    public Builder responseModel(String v) {
      responseModel = v;
      return this;
    }

    public Builder systemFingerprint(String v) {
      systemFingerprint = v;
      return this;
    }

    public Builder newRegion(String v) {
      newRegion = v;
      return this;
    }

    public Builder newPop(String v) {
      newPop = v;
      return this;
    }

    public Builder afterChunks(int v) {
      afterChunks = v;
      return this;
    }

    public Builder duration(Duration d) {
      durationSeconds = d.toMillis() / 1000.0;
      return this;
    }

    public Builder durationSeconds(double v) {
      durationSeconds = v;
      return this;
    }

    public Builder startDelay(Duration d) {
      startDelaySeconds = d.toMillis() / 1000.0;
      return this;
    }

    public Builder startDelaySeconds(double v) {
      startDelaySeconds = v;
      return this;
    }

    public Incident build() {
      return new Incident(
          id,
          kind,
          provider,
          region,
          model,
          deployment,
          route,
          extraLatencyMs,
          extraTtftMs,
          rate,
          null,
          status,
          retryAfterSeconds,
          responseModel,
          systemFingerprint,
          newRegion,
          newPop,
          afterChunks,
          durationSeconds,
          startDelaySeconds);
    }
  }
}
