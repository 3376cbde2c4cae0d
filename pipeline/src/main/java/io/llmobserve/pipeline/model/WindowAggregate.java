package io.llmobserve.pipeline.model;

/**
 * Everything one event-time window saw for one series (service, provider, model, region,
 * operation). Produced by the window step; consumed by the metrics sink and the detectors.
 * Quantiles are in seconds and NaN when the window had no sample.
 *
 * <p>Shared by the pipeline's parts: fields may be added, not renamed or removed.
 */
public class WindowAggregate {
  public String service;
  public String provider;
  public String model;
  public String region;
  public String operation;

  public long windowStart;
  public long windowEnd;

  public long calls;
  public long okCalls;
  public long errorCalls;
  public long throttledCalls;

  public long inputTokens;
  public long outputTokens;
  public long cacheReadTokens;
  public long reasoningTokens;
  public double costUsd;

  /**
   * The part of inputTokens / outputTokens / costUsd that agents estimated (llm.usage.estimated).
   */
  public long estimatedInputTokens;

  public long estimatedOutputTokens;
  public double estimatedCostUsd;

  public double latencyP50 = Double.NaN;
  public double latencyP95 = Double.NaN;
  public double latencyP99 = Double.NaN;

  /**
   * A lower 95% confidence bound of the latency p95 given the window's sample size (an order
   * statistic, see WindowFinisher.lowerQuantile): in a window of 18 calls the p95 is just the
   * slowest call, and opening an alert on it pages on noise. NaN without samples.
   */
  public double latencyP95Lower = Double.NaN;

  public long ttftCount;

  /** The same lower bound for the TTFT p95. */
  public double ttftP95Lower = Double.NaN;

  public double ttftP50 = Double.NaN;
  public double ttftP95 = Double.NaN;
  public double ttftP99 = Double.NaN;

  public double overheadP50 = Double.NaN;
  public double overheadP95 = Double.NaN;
  public double overheadP99 = Double.NaN;

  /** Lowest llm.ratelimit.remaining_tokens seen in the window, -1 when none was reported. */
  public long minRemainingTokens = -1;

  public long minRemainingRequests = -1;

  /** Highest llm.ratelimit.limit_tokens seen in the window, -1 when none was reported. */
  public long maxLimitTokens = -1;

  /**
   * True when this is a correction of an already emitted window (a span arrived within the allowed
   * lateness): counters (calls, tokens, cost) then hold only the increment, quantiles the whole
   * window. Detectors may skip these.
   */
  public boolean lateUpdate;

  public WindowAggregate() {}

  public String seriesKey() {
    return service + '|' + provider + '|' + model + '|' + region + '|' + operation;
  }
}
