package io.llmobserve.pipeline.detect;

import java.io.Serializable;

/**
 * Parameters of {@link SpikeDetector}. Plain mutable fields so settings parsing can fill them;
 * {@link #validate(String)} checks them. The defaults are ONE setting for every series: the
 * detector calibrates itself per series (scale, tail shape, seasonality), so these are about how
 * sure it must be, not about any series' units.
 */
public class SpikeParams implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Windows used to seed the baseline (median/MAD); no alert before this many. */
  public int warmupWindows = 30;

  /**
   * Evidence needed to open, in log10 units: the accumulated surprise (CUSUM of -log10 p) of the
   * recent windows. 4 = "this run of windows is a one-in-ten-thousand event under the series' own
   * history".
   */
  public double threshold = 5.0;

  /**
   * A window whose own surprise (-log10 p) is below this counts as normal: it adds no evidence and,
   * while open, counts towards resolving.
   */
  public double clearThreshold = 1.3;

  /** Consecutive windows whose evidence is at or above the threshold needed to open. */
  public int openWindows = 1;

  /** Consecutive normal windows needed to resolve. */
  public int closeWindows = 3;

  /** EW rate of the baseline level for normal points. */
  public double alpha = 0.05;

  /**
   * EW rate of the fast baseline, used instead of the slow one (level + profile) while it forecasts
   * better: random-walk-like series are judged on their changes, not on their distance from a
   * long-run level they do not have.
   */
  public double fastAlpha = 0.5;

  /** EW rate of the baseline scale (NaN = same as alpha). */
  public double scaleAlpha = 0.01;

  /** Fraction of the rates used for surprising windows: a spike barely moves the baseline. */
  public double anomalyWeight = 0.1;

  /** Residuals are clipped at this many scales before updating the baseline (Huber). */
  public double clip = 4.0;

  /** Scale floor, absolute (in the metric's unit). */
  public double minScale = 0.0;

  /** Scale floor relative to the baseline level (e.g. 0.05 = changes under 5% never count). */
  public double minRelativeScale = 0.0;

  /**
   * Time-of-day buckets of the seasonal profile (0 = no seasonality). The profile is only used once
   * it has seen a full day and predicts better than the level alone.
   */
  public int seasonBuckets = 48;

  /**
   * Time-of-week buckets of a second, weekly profile (0 = off: the job's kinds, whose keys would
   * each hold a week of buckets). Used instead of the daily one only once it has seen the buckets
   * of a week and forecasts clearly better ({@code seasonGain}) than the daily profile or level.
   */
  public int weekBuckets = 0;

  /** Learning rate of a bucket's seasonal offset per visit. */
  public double seasonAlpha = 0.3;

  /**
   * The profile is used only while its error is below this fraction of the flat baseline's error:
   * seasonal only when the history supports it.
   */
  public double seasonGain = 0.8;

  /**
   * Memory of the per-series calibration (the distribution of standardised residuals that turns a
   * residual into a p-value), in windows.
   */
  public int calibrationWindows = 2000;

  /**
   * While open, this many consecutive surprising windows on the same side make the detector accept
   * the new level as normal (a level shift pages once, then resolves).
   */
  public int adoptWindows = 12;

  /**
   * Windows averaged by the windowed-mean channel (0 or 1 = off): the mean of the slow forecast's
   * last residuals, calibrated like the per-window residual, catches a rising spike density or a
   * modest sustained shift that no single window shows.
   */
  public int meanWindows = 12;

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
    p.fastAlpha = fastAlpha;
    p.anomalyWeight = anomalyWeight;
    p.scaleAlpha = scaleAlpha;
    p.clip = clip;
    p.minScale = minScale;
    p.minRelativeScale = minRelativeScale;
    p.direction = direction;
    p.seasonBuckets = seasonBuckets;
    p.weekBuckets = weekBuckets;
    p.seasonAlpha = seasonAlpha;
    p.seasonGain = seasonGain;
    p.calibrationWindows = calibrationWindows;
    p.adoptWindows = adoptWindows;
    p.meanWindows = meanWindows;
    return p;
  }

  /**
   * @throws IllegalArgumentException naming {@code prefix}.field for an invalid value
   */
  public SpikeParams validate(String prefix) {
    require(warmupWindows >= 3, prefix + "warmup.windows", "must be >= 3");
    require(threshold > 0, prefix + "threshold", "must be > 0");
    require(
        clearThreshold > 0 && clearThreshold <= threshold,
        prefix + "clear.threshold",
        "must be above 0 and at most the threshold");
    require(openWindows >= 1, prefix + "open.windows", "must be >= 1");
    require(closeWindows >= 1, prefix + "close.windows", "must be >= 1");
    require(alpha > 0 && alpha < 1, prefix + "alpha", "must be in (0,1)");
    require(fastAlpha > 0 && fastAlpha <= 1, prefix + "fast.alpha", "must be in (0,1]");
    require(
        Double.isNaN(scaleAlpha) || (scaleAlpha > 0 && scaleAlpha < 1),
        prefix + "scale.alpha",
        "must be in (0,1)");
    require(
        anomalyWeight >= 0 && anomalyWeight <= 1, prefix + "anomaly.weight", "must be in [0,1]");
    require(clip > 0, prefix + "clip", "must be > 0");
    require(
        seasonBuckets >= 0 && seasonBuckets <= 1440,
        prefix + "season.buckets",
        "must be in [0,1440]");
    require(
        weekBuckets >= 0 && weekBuckets <= 10080, prefix + "week.buckets", "must be in [0,10080]");
    require(seasonAlpha > 0 && seasonAlpha < 1, prefix + "season.alpha", "must be in (0,1)");
    require(seasonGain > 0 && seasonGain <= 1, prefix + "season.gain", "must be in (0,1]");
    require(calibrationWindows >= 10, prefix + "calibration.windows", "must be >= 10");
    require(meanWindows >= 0, prefix + "mean.windows", "must be >= 0");
    require(adoptWindows >= 1, prefix + "adopt.windows", "must be >= 1");
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
    return "warmup="
        + warmupWindows
        + " threshold="
        + threshold
        + " clear="
        + clearThreshold
        + " open="
        + openWindows
        + " close="
        + closeWindows
        + " alpha="
        + alpha
        + " fastAlpha="
        + fastAlpha
        + " scaleAlpha="
        + scaleAlpha
        + " anomalyWeight="
        + anomalyWeight
        + " clip="
        + clip
        + " minScale="
        + minScale
        + " minRelativeScale="
        + minRelativeScale
        + " direction="
        + direction
        + " seasonBuckets="
        + seasonBuckets
        + " weekBuckets="
        + weekBuckets
        + " seasonAlpha="
        + seasonAlpha
        + " seasonGain="
        + seasonGain
        + " calibrationWindows="
        + calibrationWindows
        + " adoptWindows="
        + adoptWindows
        + " meanWindows="
        + meanWindows;
  }
}
