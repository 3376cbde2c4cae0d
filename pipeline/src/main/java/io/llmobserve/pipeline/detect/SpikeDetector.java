package io.llmobserve.pipeline.detect;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The core of every window detector (latency_spike, ttft_regression, token_burn, error_burst,
 * throttling, cost_spike) and of the NAB replay mode. Flink-free so the job, the replay and the
 * tests run exactly the same code. One fixed setting is meant to work on series it has never seen;
 * each step below calibrates itself per series.
 *
 * <ol>
 *   <li><b>Forecast.</b> A robust level (seeded with the median/MAD of the warm-up, then an EW,
 *       Huber-clipped update: a running median) plus, only when the history supports it, a
 *       time-of-day profile: the profile is used once its buckets have seen a full day AND it
 *       predicts better than the level alone ({@code seasonGain}); likewise a time-of-week profile
 *       ({@code weekBuckets}, generic core only) once it has seen a week and predicts better than
 *       the daily one. A slow drift is followed by the level.
 *   <li><b>Standardise.</b> z = residual / scale, the scale an EW clipped absolute deviation (a
 *       running MAD), floored by {@code minScale} / {@code minRelativeScale}: scale-free.
 *   <li><b>Calibrate.</b> z becomes a p-value under the series' own history of z ({@link
 *       Calibration}: decaying histogram + generalised Pareto tail): a heavy-tailed series learns
 *       that its usual outliers are usual, a calm one that a 5-sigma step is not.
 *   <li><b>Windowed mean.</b> A third opinion ({@code meanWindows}, generic only): the mean of the
 *       slow forecast's last residuals, standardised by its own running spread and calibrated like
 *       the others. It sees what no single window shows: a rising density of spikes, a modest
 *       sustained shift. The p-values of all opinions in use pay a Bonferroni factor.
 *   <li><b>Accumulate.</b> Evidence = CUSUM of the per-window point surprise -log10 p, less the
 *       allowance {@code clearThreshold}: one extreme window or a few moderately surprising ones in
 *       a row open an alert; isolated mild ones do not. The windowed mean's surprise is NOT summed
 *       (it already spans meanWindows windows; summing it counted the same windows again and paged
 *       on chance clusters of a sparse key's spikes): the score is the larger of the two, in log10
 *       units (4 = a one-in-10^4 run under the series' history).
 *   <li><b>Alert = onset.</b> Opens once when the evidence crosses {@code threshold}; resolves
 *       after {@code closeWindows} normal windows. A sustained shift ({@code adoptWindows}
 *       surprising windows on one side) is adopted as the new level: it pages once, then resolves
 *       instead of flapping or staying open forever.
 * </ol>
 *
 * <p>Surprising windows update the baseline and the calibration at {@code anomalyWeight} of the
 * normal rate, so an incident neither poisons the baseline nor desensitises the next alert.
 */
public final class SpikeDetector implements Serializable {
  private static final long serialVersionUID = 2L;

  /** 1.4826 * MAD estimates sigma for normal data. */
  private static final double MAD_TO_SIGMA = 1.4826;

  /** E|X - mu| = 0.7979 sigma for normal data; this scales mean absolute deviation to sigma. */
  private static final double MEAN_ABS_TO_SIGMA = 1.2533;

  /** Smallest p-value reported (surprise is capped at 12 per window). */
  private static final double MIN_P = 1e-12;

  private static final long DAY_MILLIS = 86_400_000L;

  private static final long WEEK_MILLIS = 7 * DAY_MILLIS;

  /**
   * The profile is credited with at most this share of the flat spread: on a noise-free daily curve
   * what remains is the profile's own interpolation error, systematic and serially correlated, not
   * noise to be surprised by.
   */
  private static final double SEASON_FLOOR = 0.02;

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

  /** {@link #step(SpikeState, double, double, boolean, long)} judging the value itself. */
  public Verdict step(SpikeState s, double value, boolean canOpen, long timeMillis) {
    return step(s, value, value, canOpen, timeMillis);
  }

  /**
   * Judges one window's value and updates {@code s}.
   *
   * @param value the window's value: learned and calibrated
   * @param openValue the value to judge for opening: a conservative estimate of the same quantity
   *     given the window's sample size (e.g. a lower confidence bound of a thin window's p95), or
   *     {@code value}; NaN = same as value
   * @param canOpen false when the window is too thin to justify opening an alert (e.g. fewer errors
   *     than the minimum count): the value still feeds the baseline and can keep an open alert open
   *     or resolve it, but cannot open one
   * @param timeMillis the window's (local) time in epoch milliseconds, for the time-of-day profile;
   *     Long.MIN_VALUE = unknown
   */
  public Verdict step(
      SpikeState s, double value, double openValue, boolean canOpen, long timeMillis) {
    if (!Double.isFinite(value)) {
      // Nothing to judge: report the current state unchanged.
      return new Verdict(
          value, s.level, s.scale, s.evidence, s.active, !s.warmedUp(), Verdict.Transition.NONE);
    }
    if (!Double.isFinite(openValue)) {
      openValue = value;
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

    noteStep(s, timeMillis);
    s.day = profile(s.day, params.seasonBuckets, timeMillis);
    s.week = profile(s.week, params.weekBuckets, timeMillis);
    int dayBucket = bucket(params.seasonBuckets, DAY_MILLIS, timeMillis);
    int weekBucket = bucket(params.weekBuckets, WEEK_MILLIS, timeMillis);
    double dayOffset = offset(s, s.day, params.seasonBuckets, DAY_MILLIS, dayBucket, timeMillis);
    double weekOffset = offset(s, s.week, params.weekBuckets, WEEK_MILLIS, weekBucket, timeMillis);
    // Two forecasts judge every window: the slow one (level, or level + profile when the
    // history supports a profile) and the fast one (the recent values). Each has its own
    // calibration; a forecast takes part only while it is competitive (its error within
    // 1/seasonGain of the better one), and the two p-values are combined with Bonferroni.
    // The slow forecast: the flat level, or the daily profile when it forecasts clearly better,
    // or the weekly one when it forecasts clearly better than that.
    boolean daily = useProfile(s.day, dayOffset, DAY_MILLIS, s.errorFlat);
    boolean weekly = useProfile(s.week, weekOffset, WEEK_MILLIS, daily ? s.day.error : s.errorFlat);
    ProfileState profile = weekly ? s.week : daily ? s.day : null;
    boolean seasonal = profile != null;
    double slowExpected = seasonal ? profile.level + (weekly ? weekOffset : dayOffset) : s.level;
    double slowSigma =
        scaleAround(
            seasonal ? Math.max(profile.scale, SEASON_FLOOR * s.scale) : s.scale, slowExpected);
    double fastExpected = s.fastLevel;
    double fastSigma = scaleAround(s.fastScale, fastExpected);
    double slowError = seasonal ? profile.error : s.errorFlat;
    boolean warm = s.windows > 2L * params.warmupWindows;
    boolean slowOn = !warm || seasonal || slowError <= s.errorFast / params.seasonGain;
    boolean fastOn = warm && s.errorFast <= slowError / params.seasonGain;
    if (!slowOn && !fastOn) {
      slowOn = true;
    }
    double zSlow = (value - slowExpected) / slowSigma;
    double zFast = (value - fastExpected) / fastSigma;
    // Judged (and calibrated) on the conservative value: a thin window's noise neither opens
    // an alert nor teaches the calibration that large residuals are common.
    double jSlow = judged(zSlow, (openValue - slowExpected) / slowSigma);
    double jFast = judged(zFast, (openValue - fastExpected) / fastSigma);
    double pSlow = slowOn ? pValue(s.calibSlow, jSlow) : 1;
    double pFast = fastOn ? pValue(s.calibFast, jFast) : 1;
    // The windowed mean of the slow forecast's (conservative) residuals: a third opinion.
    double meanValue = windowedMean(s, jSlow * slowSigma);
    double zMean = Double.NaN;
    if (!Double.isNaN(meanValue) && s.meanSeen >= params.warmupWindows) {
      zMean = (meanValue - s.meanLevel) / meanSigma(s, slowExpected);
    }
    double pMean = Double.isNaN(zMean) ? 1 : pValue(s.calibMean, zMean);
    boolean meanOn = !Double.isNaN(zMean);
    // Bonferroni over the opinions: the point forecasts' p feeds the CUSUM; the windowed mean
    // already integrates meanWindows windows, so its surprise is judged as it is (summing it
    // would count the same windows again).
    int opinions = (slowOn ? 1 : 0) + (fastOn ? 1 : 0) + (meanOn ? 1 : 0);
    double pPoint = Math.min(1, opinions * Math.min(pSlow, pFast));
    double meanSurprise = meanOn ? -Math.log10(Math.max(MIN_P, Math.min(1, opinions * pMean))) : 0;
    double pointSurprise = -Math.log10(Math.max(MIN_P, pPoint));
    double surprise = Math.max(pointSurprise, meanSurprise);
    boolean reportFast = fastOn && (!slowOn || s.errorFast < slowError);
    double expected = reportFast ? fastExpected : slowExpected;
    double sigma = reportFast ? fastSigma : slowSigma;
    double z = reportFast ? zFast : zSlow;

    s.evidence = Math.max(0, s.evidence + pointSurprise - params.clearThreshold);
    double score = Math.max(s.evidence, meanSurprise);

    boolean wasActive = s.active;
    Verdict.Transition transition = Verdict.Transition.NONE;
    boolean surprising = surprise >= params.clearThreshold;
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
      s.belowRun = surprising ? 0 : s.belowRun + 1;
      if (s.belowRun >= params.closeWindows) {
        s.active = false;
        s.aboveRun = 0;
        s.evidence = 0;
        transition = Verdict.Transition.RESOLVED;
      }
    }

    remember(s, value - slowExpected);
    int side = z > 0 ? 1 : -1;
    if (surprising && side == s.shiftSign) {
      s.shiftRun++;
    } else {
      s.shiftRun = surprising ? 1 : 0;
      s.shiftSign = side;
    }
    double weight = surprising || s.active ? params.anomalyWeight : 1.0;
    // The onset window counts fully (a series whose spikes recur learns they are usual); the
    // rest of an open incident barely counts (it must not desensitise the next alert).
    double calibrationWeight = wasActive ? params.anomalyWeight : 1.0;
    Calibration.add(s.calibSlow, jSlow, calibrationWeight, params.calibrationWindows);
    Calibration.add(s.calibFast, jFast, calibrationWeight, params.calibrationWindows);
    if (!Double.isNaN(zMean)) {
      Calibration.add(s.calibMean, zMean, calibrationWeight, params.calibrationWindows);
    }
    learnMean(s, meanValue, weight);
    learnForecastErrors(s, value);
    learnError(s, s.day, value, dayOffset);
    learnError(s, s.week, value, weekOffset);
    learn(s, value, weight);
    learnProfile(s, s.day, params.seasonBuckets, DAY_MILLIS, dayBucket, value, dayOffset, weight);
    learnProfile(s, s.week, params.weekBuckets, WEEK_MILLIS, weekBucket, value, weekOffset, weight);
    // Only after alerting: a shift that has not (yet) convinced the evidence keeps counting.
    if (s.active && s.shiftRun >= params.adoptWindows) {
      adopt(s);
    }
    return new Verdict(value, expected, sigma, score, s.active, false, transition);
  }

  /**
   * Pushes the residual into the windowed-mean ring; the mean of the last meanWindows residuals, or
   * NaN while the ring is not full (or the channel is off).
   */
  private double windowedMean(SpikeState s, double residual) {
    int k = params.meanWindows;
    if (k <= 1 || !Double.isFinite(residual)) {
      return Double.NaN;
    }
    if (s.meanRing == null || s.meanRing.length != k) {
      s.meanRing = new double[k];
      s.meanNext = 0;
      s.meanCount = 0;
    }
    s.meanRing[s.meanNext] = residual;
    s.meanNext = (s.meanNext + 1) % k;
    s.meanCount = Math.min(k, s.meanCount + 1);
    if (s.meanCount < k) {
      return Double.NaN;
    }
    double sum = 0;
    for (double r : s.meanRing) {
      sum += r;
    }
    return sum / k;
  }

  /** The windowed mean's scale, floored like the per-window one. */
  private double meanSigma(SpikeState s, double expected) {
    return scaleAround(s.meanScale, expected);
  }

  /** EW level and scale of the windowed mean, after a warm-up of its own. */
  private void learnMean(SpikeState s, double meanValue, double weight) {
    if (Double.isNaN(meanValue)) {
      return;
    }
    s.meanSeen++;
    if (s.meanSeen == 1) {
      s.meanLevel = meanValue;
      s.meanScale = 0;
      return;
    }
    // Its own warm-up: plain running mean and mean absolute deviation (a residual is not yet
    // surprising or not); then EW. Not clipped: an average is already robust to one outlier,
    // and a mostly-zero series has no scale to clip with.
    double young = 1.0 / s.meanSeen;
    boolean warm = s.meanSeen > params.warmupWindows;
    double scaleRate =
        warm
            ? (Double.isNaN(params.scaleAlpha) ? params.alpha : params.scaleAlpha) * weight
            : young;
    double r = meanValue - s.meanLevel;
    // The mean of k windows changes k times slower than a window: so does its level.
    s.meanLevel += (warm ? params.alpha / params.meanWindows * weight : young) * r;
    s.meanScale = (1 - scaleRate) * s.meanScale + scaleRate * Math.abs(r) * MEAN_ABS_TO_SIGMA;
  }

  /** The z judged: the conservative value's, but never beyond the value's own. */
  private double judged(double z, double zOpen) {
    if (!Double.isFinite(zOpen)) {
      return z;
    }
    switch (params.direction) {
      case UP:
        return Math.min(z, zOpen);
      case DOWN:
        return Math.max(z, zOpen);
      default:
        return Math.abs(zOpen) < Math.abs(z) ? zOpen : z;
    }
  }

  /** The calibrated p-value of z in the configured direction. */
  private double pValue(CalibrationState c, double z) {
    switch (params.direction) {
      case UP:
        return Calibration.upper(c, z);
      case DOWN:
        return Calibration.lower(c, z);
      default:
        return Math.min(1, 2 * Math.min(Calibration.upper(c, z), Calibration.lower(c, z)));
    }
  }

  /**
   * A sustained shift: the median of the recent run becomes the level, and the evidence restarts.
   * The alert (if open) then resolves after closeWindows normal windows.
   */
  private void adopt(SpikeState s) {
    int n = Math.min(params.adoptWindows, s.recent.length);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = s.recent[Math.floorMod(s.recentNext - 1 - i, s.recent.length)];
    }
    double shift = median(r);
    double[] dev = new double[n];
    for (int i = 0; i < n; i++) {
      dev[i] = Math.abs(r[i] - shift);
    }
    s.level += shift;
    for (ProfileState p : new ProfileState[] {s.day, s.week}) {
      if (p != null) {
        p.level += shift;
      }
    }
    // The spread after the shift may differ: keep the larger (shrinking is left to the slow
    // scale update).
    double spread = MAD_TO_SIGMA * median(dev);
    s.scale = Math.max(s.scale, spread);
    for (ProfileState p : new ProfileState[] {s.day, s.week}) {
      if (p != null) {
        p.scale = Math.max(p.scale, spread);
      }
    }
    s.evidence = 0;
    s.shiftRun = 0;
  }

  private void remember(SpikeState s, double v) {
    if (s.recent == null || s.recent.length != params.adoptWindows) {
      s.recent = new double[params.adoptWindows];
      s.recentNext = 0;
    }
    s.recent[s.recentNext] = v;
    s.recentNext = (s.recentNext + 1) % s.recent.length;
  }

  /**
   * A profile forecasts once it has been compared over half its period and its EW absolute error is
   * clearly lower (below seasonGain) than the simpler forecast's: seasonal only when the history
   * supports it.
   */
  private boolean useProfile(ProfileState p, double offset, long period, double simplerError) {
    return p != null
        && !Double.isNaN(offset)
        && p.errorMillis >= period / 2
        && p.error < params.seasonGain * simplerError;
  }

  /** EW absolute errors of the flat and the fast forecast, over the same windows. */
  private void learnForecastErrors(SpikeState s, double value) {
    double rate = errorRate(s);
    s.errorFlat += rate * (Math.abs(value - s.level) - s.errorFlat);
    s.errorFast += rate * (Math.abs(value - s.fastLevel) - s.errorFast);
  }

  private double errorRate(SpikeState s) {
    long compared = Math.max(1, s.windows - params.warmupWindows);
    return Math.max(1.0 / compared, 2.0 / params.calibrationWindows);
  }

  /** A profile's EW absolute error, over the windows its offset was known. */
  private void learnError(SpikeState s, ProfileState p, double value, double offset) {
    if (p == null || Double.isNaN(offset)) {
      return;
    }
    double error = Math.abs(value - p.level - offset);
    if (p.errorMillis == 0) {
      p.error = error;
    } else {
      p.error += errorRate(s) * (error - p.error);
    }
    p.errorMillis += Math.max(1, s.seasonStep);
  }

  /**
   * The profile's offset at this time of the period: linear between the centres of this bucket and
   * the nearer neighbour (when both are learned). NaN when the bucket is not learned yet.
   */
  private double offset(
      SpikeState s, ProfileState p, int buckets, long period, int bucket, long timeMillis) {
    if (!ready(s, p, buckets, period, bucket)) {
      return Double.NaN;
    }
    double x = Math.floorMod(timeMillis, period) * (double) buckets / period;
    double pos = Math.max(-0.5, Math.min(0.5, x - bucket - 0.5));
    int neighbour = Math.floorMod(bucket + (pos < 0 ? -1 : 1), buckets);
    if (!ready(s, p, buckets, period, neighbour)) {
      return p.offsets[bucket];
    }
    double w = Math.abs(pos);
    return (1 - w) * p.offsets[bucket] + w * p.offsets[neighbour];
  }

  /** A bucket's offset is used once the bucket has been learned over a full visit. */
  private static boolean ready(SpikeState s, ProfileState p, int buckets, long period, int bucket) {
    if (bucket < 0 || p == null || p.offsets == null) {
      return false;
    }
    long bucketMillis = period / buckets;
    long perVisit = s.seasonStep > 0 ? Math.max(1, bucketMillis / s.seasonStep) : 1;
    return p.seen[bucket] > Math.max(2, perVisit);
  }

  /** Scale used for z-scores around {@code expected}: the learned scale, floored. */
  private double scaleAround(double scale, double expected) {
    double floor = Math.max(params.minScale, params.minRelativeScale * Math.abs(expected));
    double sigma = Math.max(scale, floor);
    // A perfectly constant series with no configured floor: use a tiny relative scale instead
    // of dividing by zero (the calibration then learns how big "tiny" is).
    return sigma > 0 ? sigma : Math.max(1e-9, 1e-6 * Math.abs(expected));
  }

  private static int bucket(int buckets, long period, long timeMillis) {
    if (buckets <= 0 || timeMillis == Long.MIN_VALUE) {
      return -1;
    }
    return (int) (Math.floorMod(timeMillis, period) * buckets / period);
  }

  /** The profile, created (seeded from the flat level) when enabled; null when disabled. */
  private static ProfileState profile(ProfileState p, int buckets, long timeMillis) {
    if (buckets <= 0 || timeMillis == Long.MIN_VALUE) {
      return p;
    }
    if (p == null || p.offsets == null || p.offsets.length != buckets) {
      ProfileState fresh = new ProfileState();
      fresh.offsets = new double[buckets];
      fresh.seen = new int[buckets];
      fresh.level = p != null && !Double.isNaN(p.level) ? p.level : Double.NaN;
      fresh.scale = p != null && !Double.isNaN(p.scale) ? p.scale : Double.NaN;
      return fresh;
    }
    return p;
  }

  private void noteStep(SpikeState s, long time) {
    if (time == Long.MIN_VALUE) {
      return;
    }
    if (s.seasonLastTime != Long.MIN_VALUE && time > s.seasonLastTime) {
      s.seasonStep = time - s.seasonLastTime;
    }
    s.seasonLastTime = time;
  }

  /** The flat and the fast level: EW, Huber-clipped updates, and their scales. */
  private void learn(SpikeState s, double value, double weight) {
    double scaleRate =
        (Double.isNaN(params.scaleAlpha) ? params.alpha : params.scaleAlpha) * weight;
    double c = params.clip * scaleAround(s.scale, s.level);
    double r = Math.max(-c, Math.min(c, value - s.level));
    s.level += params.alpha * weight * r;
    s.scale = (1 - scaleRate) * s.scale + scaleRate * Math.abs(r) * MEAN_ABS_TO_SIGMA;
    // The fast level moves at its full rate: it exists to follow; the clip keeps one outlier
    // from dragging it.
    c = params.clip * scaleAround(s.fastScale, s.fastLevel);
    r = Math.max(-c, Math.min(c, value - s.fastLevel));
    s.fastLevel += params.fastAlpha * r;
    s.fastScale = (1 - scaleRate) * s.fastScale + scaleRate * Math.abs(r) * MEAN_ABS_TO_SIGMA;
  }

  /**
   * Holt-Winters style: a level with a day's memory plus per-bucket offsets kept at zero mean (only
   * their sum with the level is observed; without that they drift against each other).
   */
  private void learnProfile(
      SpikeState s,
      ProfileState p,
      int buckets,
      long period,
      int bucket,
      double value,
      double offset,
      double weight) {
    if (p == null || bucket < 0) {
      return;
    }
    if (Double.isNaN(p.level)) {
      p.level = s.level;
      p.scale = s.scale;
    }
    long bucketMillis = period / buckets;
    long step = s.seasonStep > 0 ? s.seasonStep : bucketMillis;
    boolean ready = !Double.isNaN(offset);
    double sigma = scaleAround(p.scale, p.level);
    // The level: a day's memory (quicker while young).
    long compared = Math.max(1, s.windows - params.warmupWindows);
    double levelRate = Math.max(1.0 / compared, Math.min(1.0, step / (double) DAY_MILLIS)) * weight;
    double c = ready ? params.clip * sigma : Double.MAX_VALUE;
    double r = Math.max(-c, Math.min(c, value - p.level - (ready ? offset : p.offsets[bucket])));
    p.level += levelRate * r;
    if (ready) {
      double scaleRate =
          (Double.isNaN(params.scaleAlpha) ? params.alpha : params.scaleAlpha) * weight;
      p.scale = (1 - scaleRate) * p.scale + scaleRate * Math.abs(r) * MEAN_ABS_TO_SIGMA;
    }
    double visitsShare = Math.min(1.0, step / (double) bucketMillis);
    double perWindow = 1 - Math.pow(1 - params.seasonAlpha, visitsShare);
    int seen = p.seen[bucket];
    double rate = Math.max(perWindow, 1.0 / (seen + 1)) * weight;
    // Clipped (Huber) once the bucket has history; its first visit learns the plain mean, or a
    // large swing would take weeks to learn.
    double cs = ready(s, p, buckets, period, bucket) ? params.clip * sigma : Double.MAX_VALUE;
    double target = Math.max(-cs, Math.min(cs, value - p.level - p.offsets[bucket]));
    double delta = rate * target;
    p.offsets[bucket] += delta;
    double shift = delta / buckets;
    for (int i = 0; i < p.offsets.length; i++) {
      p.offsets[i] -= shift;
    }
    p.level += shift;
    if (seen < Integer.MAX_VALUE) {
      p.seen[bucket] = seen + 1;
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
    // The fast baseline starts at the last value, its scale from the successive differences.
    double[] diff = new double[Math.max(1, v.length - 1)];
    for (int i = 1; i < v.length; i++) {
      diff[i - 1] = Math.abs(v[i] - v[i - 1]);
    }
    s.fastLevel = v[v.length - 1];
    s.fastScale = MAD_TO_SIGMA * median(diff) / Math.sqrt(2);
    s.errorFlat = 0;
    s.errorFast = 0;
    for (ProfileState p : new ProfileState[] {s.day, s.week}) {
      if (p != null) {
        p.level = median;
        p.scale = s.scale;
      }
    }
    s.warmup = null;
    s.warmupCount = 0;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  /**
   * Maps the evidence to [0,1) as a probability-like anomaly score: 1 - 10^-evidence (0.9999 at an
   * evidence of 4), for NAB's anomaly_score column.
   */
  public double normalisedScore(double score) {
    return score > 0 ? 1 - Math.pow(10, -score) : 0;
  }
}
