package io.llmobserve.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-series calibration's fitted tail: exponential when the history is, a power law else. */
class CalibrationTest {

  private static CalibrationState history(Random r, boolean heavy) {
    CalibrationState c = new CalibrationState();
    for (int i = 0; i < 2000; i++) {
      double z = heavy ? Math.pow(1 - r.nextDouble(), -1 / 1.5) - 1 : r.nextGaussian();
      Calibration.add(c, z, 1, 2000);
    }
    return c;
  }

  @Test
  void gaussianHistoryKeepsAnExponentialTail() {
    CalibrationState c = history(new Random(1), false);
    // Beyond anything seen in 2000 windows, still extrapolated (not capped at 1/2000).
    assertThat(Calibration.upper(c, 8)).isLessThan(1e-5);
    assertThat(Calibration.upper(c, 2)).isBetween(0.01, 0.05);
  }

  @Test
  void paretoHistoryGetsAPowerLawTail() {
    CalibrationState c = history(new Random(2), true);
    // Pareto(1.5): P(Z >= 50) ~ 0.003. An exponential fit put it near 1e-12 and paged on the
    // series' next record; the fitted tail stays within an order of magnitude or two.
    double p = Calibration.upper(c, 50);
    assertThat(p).isGreaterThan(1e-5).isLessThan(0.01);
    // Ordered: a larger residual is never less surprising.
    assertThat(Calibration.upper(c, 200)).isLessThan(p);
  }
}
