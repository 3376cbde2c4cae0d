package io.llmobserve.pipeline.detect;

/**
 * Per-key state of {@link SpikeDetector}: a Flink POJO (public fields, no-arg constructor) so
 * it can live in keyed ValueState with schema evolution.
 */
public class SpikeState {
  /** Values seen during warm-up (null after warm-up). */
  public double[] warmup;
  public int warmupCount;
  /** Windows evaluated so far (including warm-up). */
  public long windows;

  /** Baseline level: an EW, Huber-clipped location estimate (a robust running median). */
  public double level = Double.NaN;
  /** Baseline scale: an EW, clipped absolute deviation, in standard-deviation units. */
  public double scale = Double.NaN;

  /** Seasonal offset from the level per time-of-day bucket (null without seasonality). */
  public double[] season;
  /** Windows learned per bucket; a bucket's offset is used once it has seen two. */
  public int[] seasonSeen;
  /** Time of the previous window with a time (to know how many windows share a bucket). */
  public long seasonLastTime = Long.MIN_VALUE;
  /** Typical time between windows (the last positive step), in ms. */
  public long seasonStep;

  /** Time of the last window judged (to drop replayed or out-of-order windows). */
  public long lastTime = Long.MIN_VALUE;

  public boolean active;
  /** Consecutive windows above the threshold while closed. */
  public int aboveRun;
  /** Consecutive windows below the clear threshold while open. */
  public int belowRun;
  /** Peak score of the open alert. */
  public double peakScore;

  public SpikeState() {}

  public boolean warmedUp() {
    return warmup == null && !Double.isNaN(level);
  }
}
