package io.llmobserve.pipeline.decode;

import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rejects calls that would poison the aggregates (counted in
 * llm_pipeline_spans_rejected_total{reason}) and bounds label values. Reasons:
 * missing_provider, missing_timestamp, negative_duration, absurd_duration, negative_tokens,
 * future_timestamp.
 */
public class SpanValidator extends ProcessFunction<LlmSpan, LlmSpan> {
  private static final long serialVersionUID = 1L;
  static final int MAX_LABEL_LENGTH = 80;

  private final long maxDurationNanos;
  private final long maxFutureMillis;

  public SpanValidator(Duration maxDuration, Duration maxFuture) {
    this.maxDurationNanos = maxDuration.toNanos();
    this.maxFutureMillis = maxFuture.toMillis();
  }

  @Override
  public void processElement(LlmSpan s, Context ctx, Collector<LlmSpan> out) {
    String reason = rejectReason(s, System.currentTimeMillis());
    if (reason != null) {
      ctx.output(HealthTags.HEALTH, HealthDelta.of(HealthDelta.REJECTED, reason, 1));
      return;
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
    if (negative(s.inputTokens) || negative(s.outputTokens) || negative(s.cacheReadTokens)
        || negative(s.cacheCreationTokens) || negative(s.reasoningTokens)) {
      return "negative_tokens";
    }
    if (!Double.isNaN(s.ttftSeconds) && (s.ttftSeconds < 0 || s.ttftSeconds * 1e9 > maxDurationNanos)) {
      s.ttftSeconds = Double.NaN; // a bad optional attribute does not cost the whole call
    }
    if (!Double.isNaN(s.serverProcessingSeconds)
        && (s.serverProcessingSeconds < 0 || s.serverProcessingSeconds * 1e9 > maxDurationNanos)) {
      s.serverProcessingSeconds = Double.NaN;
    }
    return null;
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
