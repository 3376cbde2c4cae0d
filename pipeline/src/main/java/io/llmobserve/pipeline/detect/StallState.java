package io.llmobserve.pipeline.detect;

import java.util.Arrays;

/**
 * Per stall key: recent completed calls (durations and end times, a ring), the usual number in
 * flight, the labels the key's calls last had, and whether a stall is open. A Flink POJO.
 */
public class StallState {
  static final int RING = 128;

  public double[] durations = new double[RING];
  public long[] endMillis = new long[RING];

  /** Completed calls seen (the ring holds the last RING of them). */
  public long completed;

  public long lastCompletionEndMillis;

  /** EWMA of calls in flight while no stall is open; NaN before the first sample. */
  public double typicalInFlight = Double.NaN;

  /** Labels of the key's last completed call (after the label limiter). */
  public String model;

  public String region;

  public boolean open;
  public long openedAtMillis;
  public long lastSampleMillis;

  /** Processing time of the last sample (staleness timer). */
  public long lastSampleProcessingMillis;

  public StallState() {}

  void addCompletion(double durationSeconds, long endMs) {
    int i = (int) (completed % RING);
    durations[i] = durationSeconds;
    endMillis[i] = endMs;
    completed++;
    lastCompletionEndMillis = Math.max(lastCompletionEndMillis, endMs);
  }

  /**
   * A batch's completions: the same count, latest end and last {@link #RING} as adding them one by
   * one (only the ones the batch had to let go of are counted without being held).
   */
  void addCompletions(CompletionBatch b) {
    long skipped = b.count - b.held;
    completed += skipped;
    for (long j = skipped; j < b.count; j++) {
      int i = (int) (j % RING);
      addCompletion(b.durations[i], b.endMillis[i]);
    }
    lastCompletionEndMillis = Math.max(lastCompletionEndMillis, b.maxEndMillis);
  }

  int held() {
    return (int) Math.min(completed, RING);
  }

  /** The q-quantile of the held durations (nearest rank), NaN when none. */
  double durationQuantile(double q) {
    int n = held();
    if (n == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(durations, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))];
  }

  /** Completions per second over the held calls' end times, NaN with fewer than two. */
  double completionRate() {
    int n = held();
    if (n < 2) {
      return Double.NaN;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      min = Math.min(min, endMillis[i]);
      max = Math.max(max, endMillis[i]);
    }
    return max > min ? (n - 1) * 1000.0 / (max - min) : Double.NaN;
  }
}
