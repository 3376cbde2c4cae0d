package io.llmobserve.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpikeDetectorTest {

  private static final long MINUTE = 60_000L;

  /** Latency-like noise: ~1 s median, lognormal spread (sigma 0.1). */
  private static double noise(Random r) {
    return Math.exp(0.1 * r.nextGaussian());
  }

  private static SpikeParams defaults() {
    return DetectorSettings.defaults().spikeParams(WindowKind.LATENCY_SPIKE);
  }

  /** Runs the values through a fresh detector, one window a minute. */
  private static List<Verdict> run(SpikeParams p, double[] values) {
    SpikeDetector d = new SpikeDetector(p);
    SpikeState s = d.newState();
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(d.step(s, values[i], true, i * MINUTE));
    }
    return out;
  }

  private static double[] quietThen(Random r, int quiet, double[] tail) {
    double[] v = new double[quiet + tail.length];
    for (int i = 0; i < quiet; i++) {
      v[i] = noise(r);
    }
    System.arraycopy(tail, 0, v, quiet, tail.length);
    return v;
  }

  private static double[] repeat(Random r, double factor, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = factor * noise(r);
    }
    return v;
  }

  private static int firstOpen(List<Verdict> vs) {
    for (int i = 0; i < vs.size(); i++) {
      if (vs.get(i).opened()) {
        return i;
      }
    }
    return -1;
  }

  private static long opens(List<Verdict> vs) {
    return vs.stream().filter(Verdict::opened).count();
  }

  @Test
  void noAlertDuringWarmUpEvenForHugeValues() {
    SpikeParams p = defaults();
    double[] v = new double[p.warmupWindows];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 2 == 0 ? 1 : 1000;
    }
    List<Verdict> out = run(p, v);
    assertThat(out).allSatisfy(x -> {
      assertThat(x.warmingUp).isTrue();
      assertThat(x.active).isFalse();
      assertThat(x.score).isZero();
    });
  }

  @Test
  void sustainedSpikeOpensAfterOpenWindowsAndReportsBaseline() {
    Random r = new Random(1);
    List<Verdict> out = run(defaults(), quietThen(r, 120, repeat(r, 3, 10)));
    assertThat(firstOpen(out)).isEqualTo(120 + defaults().openWindows - 1);
    Verdict open = out.get(firstOpen(out));
    assertThat(open.baseline).isBetween(0.9, 1.1);
    assertThat(open.score).isGreaterThan(defaults().threshold);
    assertThat(out.subList(0, 120)).noneMatch(x -> x.active);
  }

  @Test
  void shortBlipShorterThanOpenWindowsDoesNotOpen() {
    Random r = new Random(2);
    double[] tail = new double[40];
    for (int i = 0; i < tail.length; i++) {
      tail[i] = i < 2 ? 10 : noise(r);
    }
    List<Verdict> out = run(defaults(), quietThen(r, 120, tail));
    assertThat(out.get(120).score).isGreaterThan(defaults().threshold);
    assertThat(opens(out)).isZero();
  }

  @Test
  void hysteresisHoldsBetweenClearAndThresholdThenResolves() {
    Random r = new Random(3);
    SpikeParams p = defaults();
    SpikeDetector d = new SpikeDetector(p);
    SpikeState s = d.newState();
    long t = 0;
    for (int i = 0; i < 200; i++) {
      d.step(s, noise(r), true, t += MINUTE);
    }
    Verdict v = null;
    for (int i = 0; i < p.openWindows; i++) {
      v = d.step(s, 3.0, true, t += MINUTE);
    }
    assertThat(v.opened()).isTrue();
    // Between the clear threshold and the open threshold: stays open.
    double sigma = v.scale;
    double between = v.baseline + 3.0 * sigma;
    for (int i = 0; i < 10; i++) {
      v = d.step(s, between, true, t += MINUTE);
      assertThat(v.active).as("window %d between thresholds", i).isTrue();
      assertThat(v.score).isBetween(p.clearThreshold, p.threshold);
    }
    // Below the clear threshold: resolves after exactly closeWindows windows.
    for (int i = 1; i <= p.closeWindows; i++) {
      v = d.step(s, 1.0, true, t += MINUTE);
      assertThat(v.resolved()).isEqualTo(i == p.closeWindows);
    }
    assertThat(v.active).isFalse();
  }

  @Test
  void longSpikeStaysOpenAndDoesNotPoisonTheBaseline() {
    Random r = new Random(4);
    double[] spike = repeat(r, 3, 30);
    double[] after = repeat(r, 1, 20);
    double[] tail = new double[spike.length + after.length];
    System.arraycopy(spike, 0, tail, 0, spike.length);
    System.arraycopy(after, 0, tail, spike.length, after.length);
    List<Verdict> out = run(defaults(), quietThen(r, 200, tail));
    int open = firstOpen(out);
    assertThat(open).isBetween(200, 205);
    // Open for the whole spike: the spike did not become the baseline.
    assertThat(out.subList(open, 230)).allMatch(x -> x.active);
    Verdict lastOfSpike = out.get(229);
    assertThat(lastOfSpike.baseline).isLessThan(1.3);
    // Resolves soon after the spike ends, and only once.
    int resolvedAt = -1;
    for (int i = 230; i < out.size(); i++) {
      if (out.get(i).resolved()) {
        resolvedAt = i;
        break;
      }
    }
    assertThat(resolvedAt).isBetween(230 + defaults().closeWindows - 1, 240);
    assertThat(opens(out)).isEqualTo(1);
  }

  @Test
  void permanentShiftEventuallyBecomesTheNewNormal() {
    Random r = new Random(5);
    List<Verdict> out = run(defaults(), quietThen(r, 200, repeat(r, 2, 2000)));
    assertThat(firstOpen(out)).isBetween(200, 205);
    assertThat(out.get(out.size() - 1).active).isFalse();
    assertThat(out.get(out.size() - 1).baseline).isBetween(1.7, 2.3);
    assertThat(opens(out)).isEqualTo(1);
  }

  @Test
  void noiseAloneDoesNotFire() {
    for (long seed = 10; seed < 20; seed++) {
      Random r = new Random(seed);
      List<Verdict> out = run(defaults(), repeat(r, 1, 5000));
      assertThat(opens(out)).as("seed %d", seed).isZero();
    }
  }

  @Test
  void heavyTailedNoiseRarelyFires() {
    // Occasional single slow windows (2% of windows at 2-4x): not an incident.
    Random r = new Random(30);
    double[] v = repeat(r, 1, 5000);
    for (int i = 0; i < v.length; i++) {
      if (r.nextDouble() < 0.02) {
        v[i] *= 2 + 2 * r.nextDouble();
      }
    }
    assertThat(opens(run(defaults(), v))).isLessThanOrEqualTo(1);
  }

  @Test
  void dailySwingIsLearnedByTheTimeOfDayProfile() {
    // 5-minute windows, 3 days; traffic-driven latency doubles from 09:00 to 18:00 every day.
    Random r = new Random(6);
    int perDay = 288;
    double[] v = new double[perDay * 4];
    for (int i = 0; i < v.length; i++) {
      int hour = (i % perDay) / 12;
      v[i] = (hour >= 9 && hour < 18 ? 2 : 1) * noise(r);
    }
    SpikeParams seasonal = defaults();
    SpikeParams flat = defaults();
    flat.seasonBuckets = 0;
    assertThat(opensAfterFirstDay(seasonal, v, 5 * MINUTE)).isZero();
    assertThat(opensAfterFirstDay(flat, v, 5 * MINUTE)).isGreaterThan(0);
  }

  @Test
  void smoothDailyCurveIsFollowedBetweenBucketCentres() {
    // Latency following a smooth daily traffic curve, 5-minute windows, 1% noise (sigma ~0.02
    // at a level of ~2). A step-wise profile misses by up to half a bucket's slope at the
    // bucket edges, which inflates the learned scale (~0.033 here) and blunts detection;
    // interpolating between bucket centres keeps it near the noise (~0.018).
    Random r = new Random(12);
    int perDay = 288;
    SpikeParams p = defaults();
    p.minRelativeScale = 0;
    p.alpha = 0.002; // a level that stays put, so only the profile's shape is tested
    SpikeDetector d = new SpikeDetector(p);
    SpikeState s = d.newState();
    for (int i = 0; i < perDay * 20; i++) {
      double curve = 2 + Math.sin(2 * Math.PI * i / perDay);
      d.step(s, curve * (1 + 0.01 * r.nextGaussian()), true, i * 5 * MINUTE);
    }
    assertThat(s.scale).isLessThan(0.025);
  }

  @Test
  void newDailyPatternPagesOnceThenIsLearnedByTheProfile() {
    // 5-minute windows; from day 4 on, a nightly batch job doubles latency 02:00-03:00. The
    // first night pages; the profile then learns the recurring hour (at its own per-day rate,
    // not slowed further by the anomaly weight), so it stops paging within a few nights
    // instead of paging every night for weeks (10+ nights with the anomaly weight).
    Random r = new Random(13);
    int perDay = 288;
    SpikeDetector d = new SpikeDetector(defaults());
    SpikeState s = d.newState();
    int[] opensPerDay = new int[18];
    for (int i = 0; i < perDay * opensPerDay.length; i++) {
      int day = i / perDay;
      int hour = (i % perDay) / 12;
      double v = (day >= 4 && hour == 2 ? 2 : 1) * noise(r);
      if (d.step(s, v, true, i * 5 * MINUTE).opened()) {
        opensPerDay[day]++;
      }
    }
    assertThat(opensPerDay[4]).as("first batch night").isEqualTo(1);
    assertThat(Arrays.stream(opensPerDay, 8, opensPerDay.length).sum())
        .as("after 4 nights")
        .isZero();
  }

  private static long opensAfterFirstDay(SpikeParams p, double[] v, long step) {
    SpikeDetector d = new SpikeDetector(p);
    SpikeState s = d.newState();
    long n = 0;
    for (int i = 0; i < v.length; i++) {
      Verdict x = d.step(s, v[i], true, i * step);
      if (i >= 288 * 2 && x.opened()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void directionDecidesWhichSideCounts() {
    Random r = new Random(7);
    double[] v = quietThen(r, 120, repeat(r, 0.3, 10));
    assertThat(opens(run(defaults(), v))).isZero();
    SpikeParams both = defaults();
    both.direction = Direction.BOTH;
    assertThat(opens(run(both, v))).isEqualTo(1);
  }

  @Test
  void thinWindowsCannotOpenButStillCount() {
    Random r = new Random(8);
    SpikeDetector d = new SpikeDetector(defaults());
    SpikeState s = d.newState();
    for (int i = 0; i < 100; i++) {
      d.step(s, noise(r), true, i * MINUTE);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(d.step(s, 5, false, (100 + i) * MINUTE).active).isFalse();
    }
    assertThat(d.step(s, 5, true, 106 * MINUTE).active).isFalse(); // run restarts
    d.step(s, 5, true, 107 * MINUTE);
    assertThat(d.step(s, 5, true, 108 * MINUTE).opened()).isTrue();
  }

  @Test
  void nanValuesAreIgnored() {
    Random r = new Random(9);
    SpikeDetector d = new SpikeDetector(defaults());
    SpikeState s = d.newState();
    for (int i = 0; i < 100; i++) {
      d.step(s, noise(r), true, i * MINUTE);
    }
    long windows = s.windows;
    double level = s.level;
    Verdict v = d.step(s, Double.NaN, true, 100 * MINUTE);
    assertThat(v.score).isZero();
    assertThat(s.windows).isEqualTo(windows);
    assertThat(s.level).isEqualTo(level);
  }

  @Test
  void relativeScaleFloorIgnoresTinyChangesOnVerySteadySeries() {
    double[] v = new double[200];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 100 ? 1.0 : 1.1; // perfectly steady, then +10%
    }
    SpikeParams p = defaults();
    p.minRelativeScale = 0.05;
    assertThat(opens(run(p, v))).isZero();
    p.minRelativeScale = 0.0;
    assertThat(opens(run(p, v))).isEqualTo(1);
  }

  @Test
  void normalisedScoreIsHalfAtThreshold() {
    SpikeDetector d = new SpikeDetector(defaults());
    assertThat(d.normalisedScore(defaults().threshold)).isEqualTo(0.5);
    assertThat(d.normalisedScore(0)).isZero();
    assertThat(d.normalisedScore(1e9)).isLessThan(1.0);
  }
}
