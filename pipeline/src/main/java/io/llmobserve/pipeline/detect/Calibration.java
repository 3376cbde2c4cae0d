package io.llmobserve.pipeline.detect;

/**
 * The per-series calibration of {@link SpikeDetector}: turns a standardised residual z into a
 * p-value under THIS series' own history ("how often has a residual this large been seen?"), so one
 * threshold means the same on a Gaussian series, a heavy-tailed one and a spiky one.
 *
 * <p>Kept as an exponentially decaying histogram of z over {@value #BINS} bins on an asinh scale
 * (fine near 0, covering |z| up to ~200) in the detector's state; bounded size whatever the series.
 * Beyond the bulk (the top {@value #TAIL_SHARE} of the mass) the survival function is extrapolated
 * with a generalised Pareto tail fitted to the observed exceedances (peaks over threshold, method
 * of moments): exponential for a Gaussian-like series, a power law for a bursty one. A residual
 * larger than anything seen gets a p-value below 1/n instead of being capped at it, but a
 * heavy-tailed series' next record is not taken for a one-in-10^20 event. A small persistent
 * Laplace prior (sigma 1) keeps a young or perfectly constant series from claiming certainty it has
 * not earned.
 */
final class Calibration {
  private Calibration() {}

  static final int BINS = 120;
  private static final double STEP = 0.1;
  private static final int HALF = BINS / 2;

  /** Prior pseudo-windows (Laplace, sigma 1). */
  static final double PRIOR_WEIGHT = 20;

  private static final double TAIL_SHARE = 0.05;

  /** Minimum exceedance mass (in windows) before the empirical tail is trusted. */
  private static final double TAIL_MIN = 8;

  /** Mean excess floor, in z units (a Laplace tail has 0.71). */
  private static final double MIN_MEAN_EXCESS = 0.5;

  /**
   * Largest GPD shape fitted: a power-law tail no heavier than x^-3.3. The moments estimator is
   * only defined below 0.5 and is noisy near it; 0.3 was the choice among {0.15, 0.2, 0.3, 0.5} on
   * NAB DEV plus synthetic bursty series (DESIGN.md, "Window detectors").
   */
  private static final double MAX_SHAPE = 0.3;

  private static final double SQRT2 = Math.sqrt(2);

  static double edge(int i) {
    return Math.sinh((i - HALF) * STEP);
  }

  /** Largest |z| told apart; beyond it every z is "as extreme as anything seen". */
  static final double MAX_Z = Math.sinh(HALF * STEP);

  static double clamp(double z) {
    return Math.max(-MAX_Z, Math.min(MAX_Z, z));
  }

  static int bin(double z) {
    double x = asinh(z) / STEP + HALF;
    if (!(x >= 0)) {
      return 0;
    }
    return (int) Math.min(BINS - 1, Math.floor(x));
  }

  private static double asinh(double z) {
    return Math.log(z + Math.sqrt(z * z + 1));
  }

  /** Adds z with the given weight; the histogram decays with memory {@code horizon} windows. */
  static void add(CalibrationState s, double z, double weight, int horizon) {
    if (s.bins == null || s.bins.length != BINS) {
      s.bins = new double[BINS];
      s.unit = 1;
      s.mass = 0;
    }
    double grow = 1.0 / (1.0 - 1.0 / horizon);
    s.unit *= grow;
    // Rescale instead of decaying every bin each window: weights grow, old ones stay put.
    if (s.unit > 1e200) {
      for (int i = 0; i < BINS; i++) {
        s.bins[i] /= s.unit;
      }
      s.mass /= s.unit;
      s.unit = 1;
    }
    double w = weight * s.unit;
    s.bins[bin(clamp(z))] += w;
    s.mass += w;
  }

  /** Windows' worth of history currently in the calibration (decayed). */
  static double windows(CalibrationState s) {
    return s.bins == null ? 0 : s.mass / s.unit;
  }

  /** P(Z >= z) under the series' history (upper side). */
  static double upper(CalibrationState s, double z) {
    return pValue(s, z, false);
  }

  /** P(Z <= z) under the series' history (lower side). */
  static double lower(CalibrationState s, double z) {
    return pValue(s, -z, true);
  }

  /**
   * Survival at {@code x} of the (possibly mirrored) distribution: mirrored, bin j holds what the
   * real histogram holds in bin BINS-1-j, so the lower tail is read like an upper one.
   */
  private static double pValue(CalibrationState s, double x, boolean mirrored) {
    x = clamp(x);
    double prior = laplaceSurvival(x);
    double mass = s.bins == null ? 0 : s.mass;
    if (mass <= 0) {
      return prior;
    }
    double unit = s.unit;
    // Threshold u of the fitted tail: the lower edge of the bin where the top TAIL_SHARE
    // of the mass (at least TAIL_MIN windows) starts.
    double need = Math.max(TAIL_SHARE * mass, TAIL_MIN * unit);
    double above = 0;
    int tailBin = -1;
    for (int j = BINS - 1; j >= 0; j--) {
      above += at(s, j, mirrored);
      if (above >= need) {
        tailBin = j;
        break;
      }
    }
    double empirical;
    if (tailBin < 0) {
      // Too little history for a tail: the empirical survival as is (prior weighs it down).
      empirical = survivalFromBins(s, x, mirrored) / mass;
    } else {
      double u = edge(tailBin);
      if (x <= u) {
        empirical = survivalFromBins(s, x, mirrored) / mass;
      } else {
        double excess = 0;
        double excess2 = 0;
        double tailMass = 0;
        for (int j = tailBin; j < BINS; j++) {
          double m = at(s, j, mirrored);
          double e = Math.max(0, (edge(j) + edge(j + 1)) / 2 - u);
          excess += m * e;
          excess2 += m * e * e;
          tailMass += m;
        }
        // Generalised Pareto tail (method of moments on the excesses): shape 0 is the
        // exponential tail of a Gaussian-like series; a heavy-tailed series (bursty CPU, counts
        // with bursts) gets a power law, so its next record is not mistaken for a 1e-20 event.
        double mean = Math.max(MIN_MEAN_EXCESS, excess / tailMass);
        double variance =
            Math.max(0, excess2 / tailMass - (excess / tailMass) * (excess / tailMass));
        double shape =
            variance > 0 ? Math.max(0, Math.min(MAX_SHAPE, 0.5 * (1 - mean * mean / variance))) : 0;
        double sigma = mean * (1 - shape);
        double tail =
            shape < 1e-6
                ? Math.exp(-(x - u) / mean)
                : Math.pow(1 + shape * (x - u) / sigma, -1 / shape);
        // The fitted tail only fills in where the history is silent; where the history is
        // heavier, the history wins.
        empirical = Math.max((tailMass / mass) * tail, survivalFromBins(s, x, mirrored) / mass);
      }
    }
    double windows = mass / unit;
    return (PRIOR_WEIGHT * prior + windows * empirical) / (PRIOR_WEIGHT + windows);
  }

  private static double at(CalibrationState s, int j, boolean mirrored) {
    return s.bins[mirrored ? BINS - 1 - j : j];
  }

  /** Mass at or above x: bins above x's bin, plus x's bin pro rata (in asinh space). */
  private static double survivalFromBins(CalibrationState s, double x, boolean mirrored) {
    int b = bin(x);
    double sum = 0;
    for (int j = b + 1; j < BINS; j++) {
      sum += at(s, j, mirrored);
    }
    double lo = (b - HALF) * STEP;
    // The top bin also holds everything clamped into it: counted whole.
    double frac = b == BINS - 1 ? 1 : 1 - Math.max(0, Math.min(1, (asinh(x) - lo) / STEP));
    return sum + frac * at(s, b, mirrored);
  }

  private static double laplaceSurvival(double x) {
    return x >= 0 ? 0.5 * Math.exp(-SQRT2 * x) : 1 - 0.5 * Math.exp(SQRT2 * x);
  }
}
