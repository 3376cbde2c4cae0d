package io.llmobserve.simulator.engine;

import io.llmobserve.simulator.Persona;
import java.util.List;
import java.util.Random;

/**
 * Everything decided about one call before any byte is written: fault, timing, tokens, persona.
 * Protocols render it; {@code random} continues the exchange's seeded sequence for ids.
 */
public record CallPlan(
    long sequence,
    Random random,
    Route route,
    String path,
    String deployment,
    RequestFacts facts,
    String requestModel,
    String responseModel,
    Persona persona,
    Outcome outcome,
    int errorStatus,
    int retryAfterSeconds,
    long promptTokens,
    long cacheReadTokens,
    long cacheCreationTokens,
    long outputTokens,
    long reasoningTokens,
    List<String> textTokens,
    long latencyMs,
    long ttftMs,
    long streamExtraMs,
    long chunkIntervalMs,
    int wordsPerChunk,
    String serviceTier,
    RateLimitBook.Snapshot rateLimit,
    List<String> incidentIds,
    long createdEpochSeconds,
    int abortAfterWrites) {

  /**
   * -1: the response is written whole; otherwise the body is cut off after this many writes (0 =
   * default).
   */
  public boolean aborts() {
    return abortAfterWrites >= 0;
  }

  public boolean stream() {
    return facts.stream();
  }

  /** The same plan with other token counts and text (tokenizer-usage mode); no cache tokens. */
  public CallPlan withUsage(long prompt, long output, List<String> text) {
    return new CallPlan(
        sequence,
        random,
        route,
        path,
        deployment,
        facts,
        requestModel,
        responseModel,
        persona,
        outcome,
        errorStatus,
        retryAfterSeconds,
        prompt,
        0,
        0,
        output,
        0,
        text,
        latencyMs,
        ttftMs,
        streamExtraMs,
        chunkIntervalMs,
        wordsPerChunk,
        serviceTier,
        rateLimit,
        incidentIds,
        createdEpochSeconds,
        abortAfterWrites);
  }

  public String text() {
    return String.join("", textTokens);
  }

  /**
   * Server-reported processing time: until the first byte for streams, the whole wait otherwise.
   */
  public long processingMs() {
    if (outcome == Outcome.THROTTLED) {
      return throttleDelayMs();
    }
    return stream() && outcome == Outcome.OK ? ttftMs : latencyMs;
  }

  public long throttleDelayMs() {
    return Math.min(latencyMs, 30);
  }

  public String region() {
    return persona.region();
  }

  public String pop() {
    return persona.pop();
  }
}
