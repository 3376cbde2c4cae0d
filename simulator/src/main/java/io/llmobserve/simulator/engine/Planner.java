package io.llmobserve.simulator.engine;

import io.llmobserve.simulator.Incident;
import io.llmobserve.simulator.IncidentKind;
import io.llmobserve.simulator.Persona;
import io.llmobserve.simulator.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Decides a call's outcome, timing and token counts from the profile, active incidents and a seeded
 * random.
 */
public final class Planner {
  private final RateLimitBook rateLimits;

  public Planner(RateLimitBook rateLimits) {
    this.rateLimits = rateLimits;
  }

  public CallPlan plan(
      long sequence,
      long seed,
      Route.Match match,
      String path,
      RequestFacts facts,
      Profile profile,
      List<Incident> active,
      long nowEpochMs) {
    // Every draw happens in a fixed order whatever the outcome, so a seeded run replays exactly.
    Random r = new Random(mix(seed, sequence));
    double uThrottle = r.nextDouble();
    double uError = r.nextDouble();
    double gLatency = r.nextGaussian();
    double gTtft = r.nextGaussian();
    double uAbort = r.nextDouble();

    Route route = match.route();
    String provider = route.provider();
    String deployment = match.deployment();
    if (route == Route.AZURE_V1_CHAT && deployment == null) {
      deployment = facts.model(); // the v1 Azure surface names the deployment in "model"
    }
    Persona persona = profile.persona(provider, deployment);
    String requestModel = facts.model();
    if (provider.equals("azure") && route != Route.AZURE_V1_CHAT && requestModel == null) {
      requestModel = persona.model() != null ? persona.model() : deployment;
    }
    String servedModel = requestModel;
    if (provider.equals("azure") && persona.model() != null) {
      servedModel = persona.model(); // a deployment serves its own model whatever the body says
    }
    String responseModel = profile.responseModel(servedModel);

    List<String> incidentIds = new ArrayList<>();
    // Routing and version changes first: they define what the other incidents match on.
    for (Incident i : active) {
      if (!i.matches(provider, persona.region(), requestModel, deployment, responseModel, path)) {
        continue;
      }
      if (i.kind() == IncidentKind.REGION_CHANGE) {
        if (i.newRegion() != null) {
          persona = persona.withRegion(i.newRegion()).withEmitRegionHeader(true);
        }
        if (i.newPop() != null) {
          persona = persona.withPop(i.newPop());
        }
        incidentIds.add(i.id());
      } else if (i.kind() == IncidentKind.MODEL_VERSION_CHANGE) {
        if (i.responseModel() != null) {
          responseModel = i.responseModel();
        }
        if (i.systemFingerprint() != null) {
          persona = persona.withSystemFingerprint(i.systemFingerprint());
        }
        incidentIds.add(i.id());
      }
    }

    long latencyExtra = 0;
    long ttftExtra = 0;
    double throttleRate = profile.throttleRate();
    double errorRate = profile.errorRate();
    int errorStatus = profile.errorStatus();
    int retryAfter = profile.retryAfterSeconds();
    double abortRate = 0;
    int abortAfter = 0;
    long holdMs = 0;
    for (Incident i : active) {
      if (!i.matches(provider, persona.region(), requestModel, deployment, responseModel, path)) {
        continue;
      }
      switch (i.kind()) {
        case LATENCY_SPIKE -> latencyExtra += orZero(i.extraLatencyMs());
        case TTFT_REGRESSION ->
            ttftExtra += i.extraTtftMs() != null ? i.extraTtftMs() : orZero(i.extraLatencyMs());
        case THROTTLING_STORM -> {
          throttleRate = Math.max(throttleRate, i.effectiveRate());
          if (i.retryAfterSeconds() != null) {
            retryAfter = i.retryAfterSeconds();
          }
        }
        case ERROR_BURST -> {
          if (i.effectiveRate() > errorRate) {
            errorRate = i.effectiveRate();
            errorStatus = i.status() != null ? i.status() : 500;
          }
        }
        case HANG ->
            holdMs =
                Math.max(holdMs, i.extraLatencyMs() != null ? i.extraLatencyMs() : DEFAULT_HOLD_MS);
        case STREAM_ABORT -> {
          if (i.effectiveRate() > abortRate) {
            abortRate = i.effectiveRate();
            abortAfter = i.afterChunks() == null ? 0 : Math.max(1, i.afterChunks());
          }
        }
        default -> {
          continue;
        }
      }
      incidentIds.add(i.id());
    }

    boolean embeddings = route.operation().equals("embeddings");
    long promptTokens = Math.max(1, facts.promptBytes() / 4);
    boolean reportsCache = !embeddings && !provider.equals("ollama");
    long cacheRead =
        reportsCache ? (long) Math.floor(promptTokens * clamp(profile.cacheReadFraction())) : 0;
    long cacheCreation = 0;
    if (provider.equals("anthropic") || provider.equals("bedrock")) {
      cacheCreation = (long) Math.floor(promptTokens * clamp(profile.cacheCreationFraction()));
      cacheCreation = Math.min(cacheCreation, promptTokens - cacheRead);
    }
    long output = 0;
    long reasoning = 0;
    List<String> text = List.of();
    if (!embeddings) {
      Integer max = facts.maxTokens();
      output =
          max != null ? Math.min(max, profile.maxOutputTokens()) : profile.defaultOutputTokens();
      output = Math.max(1, output);
      if (isReasoningModel(servedModel)) {
        reasoning =
            Math.min(output - 1, (long) Math.floor(output * clamp(profile.reasoningFraction())));
      }
      text = TextGenerator.tokens(r, (int) (output - reasoning));
    }

    // a hang holds the first byte: the whole wait of a JSON response, the first chunk of a stream
    long latency =
        Math.round(profile.latencyMs() * Math.exp(profile.latencyJitter() * gLatency))
            + latencyExtra
            + holdMs;
    long ttft =
        Math.round(profile.ttftMs() * Math.exp(profile.latencyJitter() * gTtft))
            + ttftExtra
            + holdMs;

    String limitKey =
        provider + "/" + (deployment != null ? deployment : String.valueOf(requestModel));
    RateLimitBook.Snapshot limits =
        rateLimits.consume(
            limitKey, profile.requestsLimit(), profile.tokensLimit(), promptTokens + output);

    Outcome outcome = Outcome.OK;
    if (uThrottle < throttleRate || (profile.enforceRateLimits() && limits.exhausted())) {
      outcome = Outcome.THROTTLED;
      limits = limits.drained();
    } else if (uError < errorRate) {
      outcome = Outcome.ERROR;
    }

    return new CallPlan(
        sequence,
        r,
        route,
        path,
        deployment,
        facts,
        requestModel,
        responseModel,
        persona,
        outcome,
        errorStatus,
        retryAfter,
        promptTokens,
        cacheRead,
        cacheCreation,
        output,
        reasoning,
        text,
        Math.max(0, latency),
        Math.max(0, ttft),
        latencyExtra,
        profile.chunkIntervalMs(),
        profile.wordsPerChunk(),
        profile.serviceTier(),
        limits,
        List.copyOf(incidentIds),
        nowEpochMs / 1000,
        outcome == Outcome.OK && uAbort < abortRate ? abortAfter : -1);
  }

  /** How long a hang holds a response when the incident names no extraLatencyMs: 10 minutes. */
  static final long DEFAULT_HOLD_MS = 600_000;

  public static boolean isReasoningModel(String model) {
    if (model == null) {
      return false;
    }
    return model.startsWith("o1")
        || model.startsWith("o3")
        || model.startsWith("o4")
        || model.startsWith("gpt-5")
        || model.startsWith("gemini-2.5");
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static double clamp(double f) {
    return Math.max(0, Math.min(1, f));
  }

  /** SplitMix64 finaliser: well-spread per-exchange seeds from (seed, sequence). */
  static long mix(long seed, long sequence) {
    long z = seed + 0x9E3779B97F4A7C15L * (sequence + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
