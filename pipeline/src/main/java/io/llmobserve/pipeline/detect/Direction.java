package io.llmobserve.pipeline.detect;

/** Which deviations from the baseline count as anomalous. */
public enum Direction {
  /** Only values above the baseline (latency, cost, token burn, errors). */
  UP,
  /** Only values below the baseline. */
  DOWN,
  /** Both sides. */
  BOTH;

  /** Signed robust z-score turned into this direction's anomaly score (0 = normal). */
  double score(double z) {
    switch (this) {
      case UP:
        return Math.max(z, 0);
      case DOWN:
        return Math.max(-z, 0);
      default:
        return Math.abs(z);
    }
  }
}
