package io.llmobserve.pipeline.detect;

/**
 * Per-key state of {@link SpikeDetector}: a Flink POJO (public fields, no-arg constructor) so it
 * can live in keyed ValueState with schema evolution. Bounded: a few hundred doubles (plus 336
 * buckets when the weekly profile is on: the generic core only).
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

  /**
   * The fast baseline: a level that follows the series closely (for random-walk-like series, where
   * the last values are the best forecast) and its scale.
   */
  public double fastLevel = Double.NaN;

  public double fastScale = Double.NaN;

  /** The time-of-day profile (null without seasonality). */
  public ProfileState day;

  /** The time-of-week profile (null unless week.buckets > 0). */
  public ProfileState week;

  /** Time of the previous window with a time (to know how many windows share a bucket). */
  public long seasonLastTime = Long.MIN_VALUE;

  /** Typical time between windows (the last positive step), in ms. */
  public long seasonStep;

  /** EW absolute errors of the flat and the fast forecast (the profiles keep their own). */
  public double errorFlat;

  public double errorFast;

  /**
   * Calibration histograms of standardised residuals (see {@link Calibration}): of the slow
   * forecast (level, or level + profile) and of the fast one.
   */
  public CalibrationState calibSlow = new CalibrationState();

  public CalibrationState calibFast = new CalibrationState();

  /**
   * The windowed-mean channel: the last meanWindows residuals of the slow forecast (a ring), the EW
   * level and scale of their mean, and its calibration. It sees what no single window shows: a
   * rising density of spikes, a modest sustained shift.
   */
  public double[] meanRing;

  public int meanNext;
  public int meanCount;

  /** Windowed means learned so far (the channel judges once it has seen warmupWindows). */
  public long meanSeen;

  public double meanLevel = Double.NaN;
  public double meanScale = Double.NaN;
  public CalibrationState calibMean = new CalibrationState();

  /** Accumulated evidence (CUSUM of per-window surprise, log10 units). */
  public double evidence;

  /** Last deseasonalised values (ring buffer of adoptWindows) for adopting a new level. */
  public double[] recent;

  public int recentNext;

  /** Consecutive surprising windows on the same side (+1 above, -1 below). */
  public int shiftRun;

  public int shiftSign;

  /** Time of the last window judged (to drop replayed or out-of-order windows). */
  public long lastTime = Long.MIN_VALUE;

  public boolean active;

  /** Consecutive windows with evidence at or above the threshold while closed. */
  public int aboveRun;

  /** Consecutive normal windows while open. */
  public int belowRun;

  /** Peak score of the open alert. */
  public double peakScore;

  public SpikeState() {}

  public boolean warmedUp() {
    return warmup == null && !Double.isNaN(level);
  }
}
