package io.llmobserve.pipeline.model;

/**
 * A detector's verdict for one key at one point in (event) time. Detectors emit one per evaluated
 * window (so gauges stay fresh) and the alert sink keeps only transitions: {@code transition} is
 * "firing" when an anomaly opens, "resolved" when it closes, null otherwise.
 *
 * <p>Shared by the pipeline's parts: fields may be added, not renamed or removed.
 */
public class AnomalyEvent {
  /**
   * latency_spike, ttft_regression, token_burn, error_burst, throttling, cost_spike, model_drift,
   * routing_change, residency_violation.
   */
  public String kind;

  public String service;
  public String provider;
  public String model;
  public String region;
  public String operation;

  public long windowStart;
  public long windowEnd;

  public double observed = Double.NaN;
  public double baseline = Double.NaN;

  /** 0 = normal; larger = more anomalous (detector-specific scale, e.g. robust z-score). */
  public double score;

  /** True while the anomaly is open (drives llm_anomaly_active). */
  public boolean active;

  /** "firing", "resolved" or null. */
  public String transition;

  /**
   * True on a "resolved" transition caused by the key going silent (no judgeable window for a
   * while), not by recovered values: the anomaly's evidence ran out.
   */
  public boolean stale;

  /** Human-readable detail, e.g. "gpt-4o-2024-08-06 -> gpt-4o-2024-11-20". */
  public String detail;

  public AnomalyEvent() {}

  public boolean isTransition() {
    return transition != null;
  }
}
