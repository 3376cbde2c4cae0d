package io.llmobserve.pipeline.model;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One LLM call, decoded from an OTLP span (kind CLIENT with gen_ai.provider.name). Public fields,
 * no-arg constructor; Flink serializes it with {@link LlmSpanTypeInfo}. Unknown numbers are -1
 * (counts) or NaN (seconds); unknown strings are null except the label fields, which are never null
 * ("unknown").
 *
 * <p>Shared by the pipeline's parts: fields may be added; renaming or removing one changes every
 * part that reads it.
 */
@TypeInfo(LlmSpanTypeInfo.Factory.class)
public class LlmSpan implements Cloneable {
  // Label fields (bounded, never null).
  public String service;
  public String provider;
  public String operation;

  /** gen_ai.response.model, else gen_ai.request.model. */
  public String model;

  /** llm.hosting.region or "unknown". */
  public String region;

  public String requestModel;
  public String responseModel;
  public String systemFingerprint;
  public String hostingProvider;
  public String edgePop;
  public String serverAddress;

  public int statusCode = -1;
  public String errorType;

  /** ok, error or throttled (HTTP 429 or a rate-limit error.type). */
  public String outcome;

  public boolean stream;

  public long inputTokens = -1;
  public long outputTokens = -1;
  public long cacheReadTokens = -1;
  public long cacheCreationTokens = -1;
  public long reasoningTokens = -1;

  /** llm.usage.estimated: the agent counted these itself (the response reported no usage). */
  public boolean inputTokensEstimated;

  public boolean outputTokensEstimated;

  public double durationSeconds = Double.NaN;
  public double ttftSeconds = Double.NaN;
  public double serverProcessingSeconds = Double.NaN;

  public long remainingTokens = -1;
  public long remainingRequests = -1;

  /** llm.ratelimit.limit_tokens: the provider's token quota for the current period. */
  public long limitTokens = -1;

  /** USD for this call from the pricing table; NaN when the model is not priced. */
  public double costUsd = Double.NaN;

  public long startEpochNanos;
  public long endEpochNanos;

  public LlmSpan() {}

  /** A field-by-field copy (every field is a primitive or an immutable String). */
  public LlmSpan copy() {
    try {
      return (LlmSpan) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /** Event time used for windows: the end of the call, in epoch milliseconds. */
  public long eventTimeMillis() {
    return endEpochNanos / 1_000_000L;
  }

  /**
   * The request model whose last response model the label limiter gives this call as its model
   * label (a failure or 429 has no response model: without that, its errors would form a series of
   * their own, see {@code LabelLimiter}), or null when the call keeps its model label.
   */
  public String resolvesModelFrom() {
    if (requestModel == null
        || requestModel.isEmpty()
        || (responseModel != null && !responseModel.isEmpty())) {
      return null;
    }
    return model == null || model.equals(requestModel) ? requestModel : null;
  }

  /** "service|provider|model|region|operation": the window key. */
  public String seriesKey() {
    return service + '|' + provider + '|' + model + '|' + region + '|' + operation;
  }
}
