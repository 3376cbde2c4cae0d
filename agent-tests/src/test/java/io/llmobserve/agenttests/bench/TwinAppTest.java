package io.llmobserve.agenttests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The twin harness's confidence interval of a median ratio. */
class TwinAppTest {

  @Test
  void medianIntervalTakesTheOrderStatisticsAroundTheMiddle() {
    double[] values = new double[20];
    for (int i = 0; i < values.length; i++) {
      values[values.length - 1 - i] = i + 1; // unsorted on purpose
    }
    assertThat(TwinApp.medianCi(values)).containsExactly(5.0, 16.0);
    assertThat(TwinApp.medianCi(new double[] {3.0})).containsExactly(3.0, 3.0);
  }

  @Test
  void medianIntervalCoversTheTrueMedianAtLeast95PercentOfTheTime() {
    // skewed ratios, like a noisy machine's slices: the interval must not assume a shape
    Random random = new Random(7);
    double trueMedian = 1.0 + Math.log(2); // median of 1 + Exp(1)
    for (int n : new int[] {12, 20, 101}) {
      int covered = 0;
      int runs = 4000;
      for (int run = 0; run < runs; run++) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
          values[i] = 1.0 - Math.log(1.0 - random.nextDouble());
        }
        double[] ci = TwinApp.medianCi(values);
        if (ci[0] <= trueMedian && trueMedian <= ci[1]) {
          covered++;
        }
      }
      assertThat(covered / (double) runs).as("coverage at n=%d", n).isBetween(0.95, 0.999);
    }
  }
}
