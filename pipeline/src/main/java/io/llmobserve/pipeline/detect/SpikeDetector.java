package io.llmobserve.pipeline.detect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The core of every window detector (latency_spike, ttft_regression, token_burn, error_burst,
 * throttling, cost_spike) and of the NAB replay mode. Flink-free so the job, the replay and the
 * tests run exactly the same code.
 *
 * <p>Baseline: seeded with the median and MAD of the first {@code warmupWindows} values, then an
 * exponentially weighted, Huber-clipped level (a running robust median), optionally plus a
 * time-of-day seasonal offset (Holt-Winters style, error-correction form), and an EW clipped
 * absolute deviation as scale (a running MAD). Residuals are clipped at {@code clip} scales, and
 * points judged anomalous update the baseline with only {@code anomalyWeight} of the normal
 * rate: a spike barely moves the baseline, while a permanent level shift is adopted slowly (the
 * scale grows first, then the level follows), so a new normal eventually resolves instead of
 * firing forever.
 *
 * <p>Score: robust z = (value - expected) / max(scale, minScale, minRelativeScale * |expected|),
 * taken in the configured direction. Hysteresis: opens after {@code openWindows} consecutive
 * windows at or above {@code threshold}, resolves after {@code closeWindows} consecutive windows
 * below {@code clearThreshold}.
 */
public final class SpikeDetector implements Serializable {
  private static final long serialVersionUID = 1L;

  /** 1.4826 * MAD estimates sigma for normal data. */
  private static final double MAD_TO_SIGMA = 1.4826;
  /** E|X - mu| = 0.7979 sigma for normal data; this scales mean absolute deviation to sigma. */
  private static final double MEAN_ABS_TO_SIGMA = 1.2533;

  private static final long DAY_MILLIS = 86_400_000L;

  private final SpikeParams params;

  public SpikeDetector(SpikeParams params) {
    this.params = params.copy().validate("");
  }

  public SpikeParams params() {
    return params.copy();
  }

  public SpikeState newState() {
    SpikeState s = new SpikeState();
    s.warmup = new double[params.warmupWindows];
    return s;
  }

  /** {@link #step(SpikeState, double, boolean, long)} without a time (no seasonality). */
  public Verdict step(SpikeState s, double value, boolean canOpen) {
    return step(s, value, canOpen, Long.MIN_VALUE);
  }

  /**
   * Judges one window's value and updates {@code s}.
   *
   * @param canOpen false when the window is too thin to justify opening an alert (e.g. fewer
   *     errors than the minimum count): the value still feeds the baseline and can keep an open
   *     alert open or resolve it, but cannot open one
   * @param timeMillis the window's (local) time in epoch milliseconds, for the time-of-day
   *     profile; Long.MIN_VALUE = unknown
   */
  public Verdict step(SpikeState s, double value, boolean canOpen, long timeMillis) {
    if (!Double.isFinite(value)) {
      // Nothing to judge: report the current state unchanged.
      return new Verdict(
          value, s.level, s.scale, 0, s.active, !s.warmedUp(), Verdict.Transition.NONE);
    }
    s.windows++;
    if (!s.warmedUp()) {
      if (s.warmup == null || s.warmup.length != params.warmupWindows) {
        s.warmup = Arrays.copyOf(s.warmup == null ? new double[0] : s.warmup, params.warmupWindows);
        s.warmupCount = Math.min(s.warmupCount, params.warmupWindows - 1);
      }
      s.warmup[s.warmupCount++] = value;
      if (s.warmupCount >= params.warmupWindows) {
        seed(s);
      }
      return new Verdict(value, Double.NaN, Double.NaN, 0, false, true, Verdict.Transition.NONE);
    }

    int bucket = bucket(s, timeMillis);
    double offset = seasonOffset(s, bucket, timeMillis);
    double expected = s.level + offset;
    double sigma = scaleAround(s, expected);
    double z = (value - expected) / sigma;
    double score = params.direction.score(z);

    Verdict.Transition transition = Verdict.Transition.NONE;
    if (!s.active) {
      s.aboveRun = (score >= params.threshold && canOpen) ? s.aboveRun + 1 : 0;
      if (s.aboveRun >= params.openWindows) {
        s.active = true;
        s.belowRun = 0;
        s.peakScore = score;
        transition = Verdict.Transition.FIRING;
      }
    } else {
      s.peakScore = Math.max(s.peakScore, score);
      s.belowRun = score < params.clearThreshold ? s.belowRun + 1 : 0;
      if (s.belowRun >= params.closeWindows) {
        s.active = false;
        s.aboveRun = 0;
        transition = Verdict.Transition.RESOLVED;
      }
    }
    // Learning is guarded on both sides whatever the alerting direction: a collapse must not
    // drag the baseline down (nor teach the daily profile a lopsided shape) any more than a spike.
    boolean anomalous =
        Math.abs(z) >= params.threshold || (s.active && score >= params.clearThreshold);
    learn(s, bucket, z, sigma, anomalous ? params.anomalyWeight : 1.0, timeMillis);
    return new Verdict(value, expected, sigma, score, s.active, false, transition);
  }

  /**
   * The profile's offset at this time of day: linear between the centres of this bucket and
   * the nearer neighbour (when both are learned), so a smooth daily curve (traffic ramping up
   * in the morning) is followed within a bucket instead of as a staircase that misses by half
   * a bucket's slope at every bucket edge.
   */
  private double seasonOffset(SpikeState s, int bucket, long timeMillis) {
    if (!seasonReady(s, bucket)) {
      return 0;
    }
    int n = params.seasonBuckets;
    double x = Math.floorMod(timeMillis, DAY_MILLIS) * (double) n / DAY_MILLIS;
    // -0.5 at the bucket's start, 0 at its centre, +0.5 at its end.
    double pos = Math.max(-0.5, Math.min(0.5, x - bucket - 0.5));
    int neighbour = Math.floorMod(bucket + (pos < 0 ? -1 : 1), n);
    if (!seasonReady(s, neighbour)) {
      return s.season[bucket];
    }
    double w = Math.abs(pos);
    return (1 - w) * s.season[bucket] + w * s.season[neighbour];
  }

  /**
   * A bucket's offset is used once the bucket has been learned over at least one full visit
   * (a day's worth of its windows): within its first visit it would act as a second, fast level
   * that swallows whatever happens then.
   */
  private boolean seasonReady(SpikeState s, int bucket) {
    if (bucket < 0) {
      return false;
    }
    long bucketMillis = DAY_MILLIS / params.seasonBuckets;
    long perVisit = s.seasonStep > 0 ? Math.max(1, bucketMillis / s.seasonStep) : 1;
    return s.seasonSeen[bucket] > Math.max(2, perVisit);
  }

  /** Scale used for z-scores around {@code expected}: the learned scale, floored. */
  private double scaleAround(SpikeState s, double expected) {
    double floor = Math.max(params.minScale, params.minRelativeScale * Math.abs(expected));
    double sigma = Math.max(s.scale, floor);
    // A perfectly constant series with no configured floor: any change is infinitely
    // surprising; use a tiny relative scale instead of dividing by zero.
    return sigma > 0 ? sigma : Math.max(1e-9, 1e-6 * Math.abs(expected));
  }

  private int bucket(SpikeState s, long timeMillis) {
    if (params.seasonBuckets <= 0 || timeMillis == Long.MIN_VALUE) {
      return -1;
    }
    if (s.season == null || s.season.length != params.seasonBuckets) {
      s.season = new double[params.seasonBuckets];
      s.seasonSeen = new int[params.seasonBuckets];
    }
    long timeOfDay = Math.floorMod(timeMillis, DAY_MILLIS);
    return (int) (timeOfDay * params.seasonBuckets / DAY_MILLIS);
  }

  private void learn(SpikeState s, int bucket, double z, double sigma, double weight, long time) {
    double c = params.clip;
    double residual = Math.max(-c, Math.min(c, z)) * sigma;
    double rate = params.alpha * weight;
    s.level += rate * residual;
    if (bucket >= 0) {
      learnSeason(s, bucket, residual, weight, time);
    }
    double scaleRate = (Double.isNaN(params.scaleAlpha) ? params.alpha : params.scaleAlpha) * weight;
    double absDev = Math.min(Math.abs(z), c) * sigma * MEAN_ABS_TO_SIGMA;
    s.scale = (1 - scaleRate) * s.scale + scaleRate * absDev;
  }

  /**
   * Holt-Winters style seasonal update with the offsets kept at zero mean, so the level stays
   * the daily mean: without that, level and offsets drift against each other, since only their
   * sum is observed.
   */
  private void learnSeason(SpikeState s, int bucket, double residual, double weight, long time) {
    long bucketMillis = DAY_MILLIS / params.seasonBuckets;
    if (s.seasonLastTime != Long.MIN_VALUE && time > s.seasonLastTime) {
      s.seasonStep = time - s.seasonLastTime;
    }
    s.seasonLastTime = time;
    long step = s.seasonStep > 0 ? s.seasonStep : bucketMillis;
    double visitsShare = Math.min(1.0, step / (double) bucketMillis);
    // seasonAlpha per day, spread over the windows falling in this bucket each day.
    double perWindow = 1 - Math.pow(1 - params.seasonAlpha, visitsShare);
    int seen = s.seasonSeen[bucket];
    // Until a bucket has history, its offset is the running mean of its residuals, at the
    // caller's weight (a spike on the first day must not become the profile). Once it has
    // history it learns at full weight whatever the verdict: its per-day rate already makes a
    // one-off spike move it little, while a deviation that recurs at the same time every day
    // (a daily ramp the profile still misses, a new nightly batch job) is a pattern, not an
    // anomaly; learned at the anomaly weight too it would page every day for weeks.
    double seasonWeight = seasonReady(s, bucket) ? 1.0 : weight;
    double seasonRate = Math.max(perWindow, 1.0 / (seen + 1)) * seasonWeight;
    // The level took alpha * weight of this residual already.
    double delta = seasonRate * (1 - params.alpha * weight) * residual;
    s.season[bucket] += delta;
    double shift = delta / params.seasonBuckets;
    for (int i = 0; i < s.season.length; i++) {
      s.season[i] -= shift;
    }
    s.level += shift;
    if (seen < Integer.MAX_VALUE) {
      s.seasonSeen[bucket] = seen + 1;
    }
  }

  private static void seed(SpikeState s) {
    double[] v = Arrays.copyOf(s.warmup, s.warmupCount);
    double median = median(v);
    double[] dev = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      dev[i] = Math.abs(v[i] - median);
    }
    s.level = median;
    s.scale = MAD_TO_SIGMA * median(dev);
    s.warmup = null;
    s.warmupCount = 0;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  /** Maps a score to [0,1): 0.5 at the threshold (for NAB's anomaly_score column). */
  public double normalisedScore(double score) {
    return score > 0 ? score / (score + params.threshold) : 0;
  }
}
