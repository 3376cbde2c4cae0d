package io.llmobserve.pipeline.decode;

import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rejects calls that would poison the aggregates (counted in
 * llm_pipeline_spans_rejected_total{reason}) and bounds label values. Reasons: missing_provider,
 * missing_timestamp, negative_duration, absurd_duration, negative_tokens, invalid_tokens (NaN, Inf
 * or text where a count belongs), absurd_tokens (above max-tokens-per-call), future_timestamp.
 * Implausible optional values (time to first token or server time outside [0, max-span-duration],
 * rate-limit figures above {@link #MAX_RATELIMIT}) are dropped from the call, which is kept, and
 * counted in llm_pipeline_attributes_dropped_total{reason}.
 */
public class SpanValidator extends ProcessFunction<LlmSpan, LlmSpan> {
  private static final long serialVersionUID = 1L;
  static final int MAX_LABEL_LENGTH = 80;

  /** Rate-limit quotas and remainders above this (tokens or requests) are not real. */
  public static final long MAX_RATELIMIT = 1_000_000_000_000_000L;

  /** Default of max-tokens-per-call: far above any context window. */
  public static final long DEFAULT_MAX_TOKENS = 100_000_000L;

  private final long maxDurationNanos;
  private final long maxFutureMillis;
  private final long maxTokens;

  public SpanValidator(Duration maxDuration, Duration maxFuture) {
    this(maxDuration, maxFuture, DEFAULT_MAX_TOKENS);
  }

  public SpanValidator(Duration maxDuration, Duration maxFuture, long maxTokensPerCall) {
    this.maxDurationNanos = maxDuration.toNanos();
    this.maxFutureMillis = maxFuture.toMillis();
    this.maxTokens = maxTokensPerCall;
  }

  @Override
  public void processElement(LlmSpan s, Context ctx, Collector<LlmSpan> out) {
    String reason = rejectReason(s, System.currentTimeMillis());
    if (reason != null) {
      ctx.output(HealthTags.HEALTH, HealthDelta.of(HealthDelta.REJECTED, reason, 1));
      return;
    }
    String dropped = dropImplausible(s);
    if (dropped != null) {
      ctx.output(HealthTags.HEALTH, HealthDelta.of(HealthDelta.ATTRIBUTES_DROPPED, dropped, 1));
    }
    s.service = label(s.service);
    s.provider = label(s.provider);
    s.model = label(s.model);
    s.region = label(s.region);
    s.operation = label(s.operation);
    out.collect(s);
  }

  /** null when the span is fine. */
  String rejectReason(LlmSpan s, long nowMillis) {
    if (s.provider == null || s.provider.isBlank()) {
      return "missing_provider";
    }
    if (s.endEpochNanos <= 0 || s.startEpochNanos <= 0) {
      return "missing_timestamp";
    }
    long d = s.endEpochNanos - s.startEpochNanos;
    if (d < 0) {
      return "negative_duration";
    }
    if (d > maxDurationNanos) {
      return "absurd_duration";
    }
    if (s.eventTimeMillis() > nowMillis + maxFutureMillis) {
      return "future_timestamp"; // would drag the watermark ahead and make every real span late
    }
    // the five counts, checked in this order of reasons (no array per call)
    long in = s.inputTokens;
    long out = s.outputTokens;
    long cacheRead = s.cacheReadTokens;
    long cacheCreation = s.cacheCreationTokens;
    long reasoning = s.reasoningTokens;
    if (in == SpanMapper.INVALID
        || out == SpanMapper.INVALID
        || cacheRead == SpanMapper.INVALID
        || cacheCreation == SpanMapper.INVALID
        || reasoning == SpanMapper.INVALID) {
      return "invalid_tokens";
    }
    if (negative(in)
        || negative(out)
        || negative(cacheRead)
        || negative(cacheCreation)
        || negative(reasoning)) {
      return "negative_tokens";
    }
    if (in > maxTokens
        || out > maxTokens
        || cacheRead > maxTokens
        || cacheCreation > maxTokens
        || reasoning > maxTokens) {
      // one int64-max count would poison llm_tokens_total and the cost for good
      return "absurd_tokens";
    }
    return null;
  }

  /**
   * Clears implausible optional values (a bad optional attribute does not cost the whole call).
   *
   * @return the reason of the first one cleared, or null
   */
  String dropImplausible(LlmSpan s) {
    String reason = null;
    if (!Double.isNaN(s.ttftSeconds)
        && !(s.ttftSeconds >= 0 && s.ttftSeconds * 1e9 <= maxDurationNanos)) {
      s.ttftSeconds = Double.NaN;
      reason = "implausible_duration";
    }
    if (!Double.isNaN(s.serverProcessingSeconds)
        && !(s.serverProcessingSeconds >= 0
            && s.serverProcessingSeconds * 1e9 <= maxDurationNanos)) {
      s.serverProcessingSeconds = Double.NaN;
      reason = reason != null ? reason : "implausible_duration";
    }
    if (implausibleRateLimit(s.remainingTokens)
        || implausibleRateLimit(s.remainingRequests)
        || implausibleRateLimit(s.limitTokens)) {
      s.remainingTokens = implausibleRateLimit(s.remainingTokens) ? -1 : s.remainingTokens;
      s.remainingRequests = implausibleRateLimit(s.remainingRequests) ? -1 : s.remainingRequests;
      s.limitTokens = implausibleRateLimit(s.limitTokens) ? -1 : s.limitTokens;
      reason = reason != null ? reason : "implausible_ratelimit";
    }
    return reason;
  }

  private static boolean implausibleRateLimit(long v) {
    return v < -1 || v > MAX_RATELIMIT;
  }

  /** -1 is "not reported"; anything below is garbage. */
  private static boolean negative(long tokens) {
    return tokens < -1;
  }

  /** Lower-case-insensitive values stay as sent; only length and control characters are bounded. */
  static String label(String v) {
    if (v == null || v.isEmpty()) {
      return "unknown";
    }
    String t = v.length() > MAX_LABEL_LENGTH ? v.substring(0, MAX_LABEL_LENGTH) : v;
    for (int i = 0; i < t.length(); i++) {
      if (Character.isISOControl(t.charAt(i))) {
        return t.replaceAll("\\p{Cntrl}", "_");
      }
    }
    return t;
  }
}
