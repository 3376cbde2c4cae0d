package io.llmobserve.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The detector core on synthetic shapes, with ONE setting (the generic defaults, or a job kind's):
 * level shift, seasonality, heavy tail, drift, sparse/thin windows, spikes.
 */
class SpikeDetectorTest {

  private static final long MINUTE = 60_000L;

  private static SpikeParams generic() {
    return DetectorSettings.defaults().genericParams();
  }

  private static SpikeParams latency() {
    return DetectorSettings.defaults().spikeParams(WindowKind.LATENCY_SPIKE);
  }

  /** Runs n values through a fresh detector, one window every stepMinutes. */
  private static List<Verdict> run(
      SpikeParams p, int n, long stepMinutes, IntToDoubleFunction value) {
    SpikeDetector d = new SpikeDetector(p);
    SpikeState s = d.newState();
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(d.step(s, value.applyAsDouble(i), true, i * stepMinutes * MINUTE));
    }
    return out;
  }

  private static List<Integer> opens(List<Verdict> vs) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < vs.size(); i++) {
      if (vs.get(i).opened()) {
        at.add(i);
      }
    }
    return at;
  }

  @Test
  void noAlertDuringWarmUpEvenForHugeValues() {
    SpikeParams p = generic();
    List<Verdict> out = run(p, p.warmupWindows, 1, i -> i % 2 == 0 ? 1 : 1000);
    assertThat(out)
        .allSatisfy(
            x -> {
              assertThat(x.warmingUp).isTrue();
              assertThat(x.active).isFalse();
              assertThat(x.score).isZero();
            });
  }

  @Test
  void spikeOpensOnceAtItsOnsetAndResolves() {
    Random r = new Random(1);
    List<Verdict> out =
        run(
            latency(),
            600,
            1,
            i -> (i >= 400 && i < 410 ? 4 : 1) * Math.exp(0.1 * r.nextGaussian()));
    assertThat(opens(out)).containsExactly(400);
    assertThat(out.get(400).baseline).isBetween(0.9, 1.1);
    assertThat(out.get(400).score).isGreaterThanOrEqualTo(5);
    assertThat(out.get(599).active).isFalse();
  }

  @Test
  void levelShiftPagesOnceThenBecomesTheNewNormal() {
    Random r = new Random(2);
    List<Verdict> out = run(generic(), 2000, 5, i -> (i >= 1000 ? 30 : 10) + r.nextGaussian());
    assertThat(opens(out)).hasSize(1).allMatch(i -> i >= 1000 && i <= 1002);
    // Adopted: resolved within a few dozen windows, and quiet since.
    assertThat(out.get(1100).active).isFalse();
    assertThat(out.get(1999).baseline).isBetween(28.0, 32.0);
  }

  @Test
  void dailySeasonalityIsLearnedOnlyOnceTheHistorySupportsIt() {
    Random r = new Random(3);
    // 5-minute windows, a strong daily swing (10 -> 30), 8 days; on day 7 the daytime bump
    // does not come (NAB's "nojump"): a seasonal anomaly no flat baseline can see.
    int perDay = 288;
    List<Verdict> out =
        run(
            generic(),
            8 * perDay,
            5,
            i -> {
              int day = i / perDay;
              double hour = (i % perDay) / 12.0;
              boolean daytime = hour >= 8 && hour < 18;
              return (daytime && day != 6 ? 30 : 10) + r.nextGaussian();
            });
    List<Integer> opens = opens(out);
    // Days 3-6 (after the profile is learned): no alert for the normal swing.
    assertThat(opens).noneMatch(i -> i >= 3 * perDay && i < 6 * perDay);
    // The missing bump on day 7 is caught within its first hour.
    assertThat(opens).anyMatch(i -> i >= 6 * perDay + 8 * 12 && i < 6 * perDay + 9 * 12);
  }

  @Test
  void noSeasonalProfileWithoutDailyPatternAndNoAlertsOnPlainNoise() {
    Random r = new Random(4);
    List<Verdict> out = run(generic(), 4 * 288, 5, i -> 50 + 2 * r.nextGaussian());
    assertThat(opens(out)).isEmpty();
  }

  @Test
  void heavyTailedNoiseDoesNotPage() {
    Random r = new Random(5);
    // Log-normal body with 2% Pareto outliers (alpha 1.5): the calibration learns that this
    // series' big residuals are usual.
    List<Verdict> out =
        run(
            latency(),
            5000,
            1,
            i -> {
              double v = Math.exp(0.2 * r.nextGaussian());
              return r.nextDouble() < 0.02 ? v + 3 * Math.pow(1 - r.nextDouble(), -1 / 1.5) : v;
            });
    // 100 outliers, each as big as 10-100 normal spreads: at most a few pages over 5000
    // windows (a z threshold pages on most of them).
    assertThat(opens(out)).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void slowDriftIsFollowedWithoutAlerts() {
    Random r = new Random(6);
    // +30% over six hours of 10-second windows.
    int n = 6 * 360;
    SpikeDetector d = new SpikeDetector(latency());
    SpikeState s = d.newState();
    int opens = 0;
    for (int i = 0; i < n + 360; i++) {
      double drift = 1 + 0.3 * Math.min(1, i / (double) n);
      Verdict v = d.step(s, drift * Math.exp(0.1 * r.nextGaussian()), true, i * 10_000L);
      opens += v.opened() ? 1 : 0;
    }
    assertThat(opens).isZero();
    assertThat(s.level).isBetween(1.2, 1.4);
  }

  @Test
  void thinWindowsJudgeTheirConservativeValue() {
    Random r = new Random(7);
    SpikeDetector d = new SpikeDetector(latency());
    SpikeState s = d.newState();
    int opens = 0;
    for (int i = 0; i < 3000; i++) {
      double normal = Math.exp(0.1 * r.nextGaussian());
      // Every 50th window one slow call makes a thin window's p95 ten times the usual, while
      // its lower confidence bound (the third slowest call) stays normal.
      boolean slowCall = i % 50 == 0;
      Verdict v = d.step(s, slowCall ? 10 * normal : normal, normal, true, i * 10_000L);
      opens += v.opened() ? 1 : 0;
    }
    assertThat(opens).isZero();
  }

  @Test
  void sparseSeriesWithMostlyZerosLearnsItsSpikes() {
    Random r = new Random(8);
    // NAB-like load-balancer series: zero most of the time, a spike every ~40 windows.
    List<Verdict> out =
        run(generic(), 4000, 5, i -> r.nextDouble() < 0.025 ? 1 + r.nextDouble() : 0);
    // The first spikes are news; once they recur they are not.
    assertThat(opens(out)).allMatch(i -> i < 1000);
  }

  @Test
  void windowedMeanStaysQuietOnHeavyTailsAndSlowDrift() {
    Random r = new Random(12);
    // Generic settings (windowed mean on): log-normal body, 2% Pareto outliers, and a +30%
    // drift over the second half.
    List<Verdict> out =
        run(
            generic(),
            6000,
            5,
            i -> {
              double drift = 1 + 0.3 * Math.max(0, Math.min(1, (i - 3000) / 3000.0));
              double v = drift * Math.exp(0.2 * r.nextGaussian());
              return r.nextDouble() < 0.02 ? v + 3 * Math.pow(1 - r.nextDouble(), -1 / 1.5) : v;
            });
    // The same budget as the job's heavy-tail test: at most 3 pages in 5000 windows.
    assertThat(opens(out).stream().filter(i -> i >= 1000)).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void directionDecidesWhichSideCounts() {
    Random r = new Random(9);
    IntToDoubleFunction drop =
        i -> (i >= 300 && i < 310 ? 0.25 : 1) * Math.exp(0.1 * r.nextGaussian());
    assertThat(opens(run(latency(), 400, 1, drop))).isEmpty();
    Random r2 = new Random(9);
    IntToDoubleFunction drop2 =
        i -> (i >= 300 && i < 310 ? 0.25 : 1) * Math.exp(0.1 * r2.nextGaussian());
    assertThat(opens(run(generic(), 400, 1, drop2)))
        .isNotEmpty()
        .allMatch(i -> i >= 300 && i < 312);
  }

  @Test
  void windowsThatCannotOpenStillCountAndNanIsIgnored() {
    SpikeDetector d = new SpikeDetector(latency());
    SpikeState s = d.newState();
    Random r = new Random(10);
    for (int i = 0; i < 200; i++) {
      d.step(s, Math.exp(0.1 * r.nextGaussian()), true, i * MINUTE);
    }
    Verdict thin = d.step(s, 10, false, 200 * MINUTE);
    assertThat(thin.active).isFalse();
    assertThat(thin.score).isGreaterThan(0);
    Verdict nan = d.step(s, Double.NaN, true, 201 * MINUTE);
    assertThat(nan.transition).isEqualTo(Verdict.Transition.NONE);
    Verdict next = d.step(s, 10, true, 202 * MINUTE);
    assertThat(next.opened()).isTrue();
  }

  @Test
  void normalisedScoreIsAProbabilityLikeValue() {
    SpikeDetector d = new SpikeDetector(generic());
    assertThat(d.normalisedScore(0)).isZero();
    assertThat(d.normalisedScore(5)).isEqualTo(1 - 1e-5, Offset.offset(1e-12));
    assertThat(d.normalisedScore(1)).isEqualTo(0.9, Offset.offset(1e-12));
  }
}
