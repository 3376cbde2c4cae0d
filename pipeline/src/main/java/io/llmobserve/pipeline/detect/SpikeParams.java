package io.llmobserve.pipeline.detect;

import java.io.Serializable;

/**
 * Parameters of {@link SpikeDetector}: baseline adaptation, thresholds and hysteresis. Plain
 * mutable fields so settings parsing can fill them; {@link #validate(String)} checks them.
 */
public class SpikeParams implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Windows used to seed the baseline (median/MAD); no alert before this many. */
  public int warmupWindows = 30;
  /** Robust z-score that opens an alert (after {@link #openWindows} consecutive windows). */
  public double threshold = 4.0;
  /** Robust z-score below which an open alert starts to close. */
  public double clearThreshold = 2.0;
  /** Consecutive windows at or above the threshold needed to open. */
  public int openWindows = 3;
  /** Consecutive windows below the clear threshold needed to resolve. */
  public int closeWindows = 3;
  /** EW rate of the baseline level and scale for normal points. */
  public double alpha = 0.05;
  /**
   * EW rate of the baseline scale (NaN = same as alpha). A slower scale remembers rare but
   * recurring large deviations (daily traffic swings) longer than the level does.
   */
  public double scaleAlpha = 0.005;
  /**
   * Fraction of {@link #alpha} used for points judged anomalous (or while an alert is open):
   * a long spike is absorbed only slowly, so it neither poisons the baseline nor stays open
   * forever once it is the new normal.
   */
  public double anomalyWeight = 0.25;
  /** Residuals are clipped at this many scales before updating the baseline (Huber). */
  public double clip = 6.0;
  /** Scale floor, absolute (in the metric's unit). */
  public double minScale = 0.0;
  /** Scale floor relative to the baseline level (e.g. 0.05 = changes under 5% never count). */
  public double minRelativeScale = 0.0;
  /**
   * Time-of-day buckets of the seasonal profile (0 = no seasonality). Human-driven traffic,
   * and the provider load behind LLM latency, follow the clock: a daily profile keeps the
   * daily swing from paging every day.
   */
  public int seasonBuckets = 48;
  /**
   * Learning rate of a bucket's seasonal offset per day (spread over the windows that fall in
   * the bucket that day, so it does not depend on the window length).
   */
  public double seasonAlpha = 0.3;
  /** Which side counts. */
  public Direction direction = Direction.UP;

  public SpikeParams() {}

  public SpikeParams copy() {
    SpikeParams p = new SpikeParams();
    p.warmupWindows = warmupWindows;
    p.threshold = threshold;
    p.clearThreshold = clearThreshold;
    p.openWindows = openWindows;
    p.closeWindows = closeWindows;
    p.alpha = alpha;
    p.anomalyWeight = anomalyWeight;
    p.scaleAlpha = scaleAlpha;
    p.clip = clip;
    p.minScale = minScale;
    p.minRelativeScale = minRelativeScale;
    p.direction = direction;
    p.seasonBuckets = seasonBuckets;
    p.seasonAlpha = seasonAlpha;
    return p;
  }

  /** @throws IllegalArgumentException naming {@code prefix}.field for an invalid value */
  public SpikeParams validate(String prefix) {
    require(warmupWindows >= 3, prefix + "warmup.windows", "must be >= 3");
    require(threshold > 0, prefix + "threshold", "must be > 0");
    require(
        clearThreshold >= 0 && clearThreshold <= threshold,
        prefix + "clear.threshold",
        "must be between 0 and the threshold");
    require(openWindows >= 1, prefix + "open.windows", "must be >= 1");
    require(closeWindows >= 1, prefix + "close.windows", "must be >= 1");
    require(alpha > 0 && alpha < 1, prefix + "alpha", "must be in (0,1)");
    require(
        Double.isNaN(scaleAlpha) || (scaleAlpha > 0 && scaleAlpha < 1),
        prefix + "scale.alpha",
        "must be in (0,1)");
    require(anomalyWeight >= 0 && anomalyWeight <= 1, prefix + "anomaly.weight", "must be in [0,1]");
    require(clip > 0, prefix + "clip", "must be > 0");
    require(seasonBuckets >= 0 && seasonBuckets <= 1440, prefix + "season.buckets", "must be in [0,1440]");
    require(seasonAlpha > 0 && seasonAlpha < 1, prefix + "season.alpha", "must be in (0,1)");
    require(minScale >= 0, prefix + "min.scale", "must be >= 0");
    require(minRelativeScale >= 0, prefix + "min.relative.scale", "must be >= 0");
    return this;
  }

  private static void require(boolean ok, String key, String why) {
    if (!ok) {
      throw new IllegalArgumentException("detector setting " + key + " " + why);
    }
  }

  @Override
  public String toString() {
    return "warmup=" + warmupWindows + " threshold=" + threshold + " clear=" + clearThreshold
        + " open=" + openWindows + " close=" + closeWindows + " alpha=" + alpha
        + " scaleAlpha=" + scaleAlpha + " anomalyWeight=" + anomalyWeight + " clip=" + clip + " minScale=" + minScale
        + " minRelativeScale=" + minRelativeScale + " direction=" + direction + " seasonBuckets=" + seasonBuckets
        + " seasonAlpha=" + seasonAlpha;
  }
}
