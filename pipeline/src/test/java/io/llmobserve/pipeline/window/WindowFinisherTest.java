package io.llmobserve.pipeline.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WindowFinisherTest {
  /** The order statistic (1 = fastest of n) a quantile level picks: nearest rank. */
  static long rank(double level, long n) {
    return Math.round(level * n + 0.5);
  }

  @Test
  void aThinWindowsP95BoundNeedsSeveralSlowCalls() {
    // of 10 calls the third slowest (8th of 10), of 18 the fourth slowest (15th of 18): two tail
    // calls in a thin window cannot open a latency alert on their own
    assertThat(rank(WindowFinisher.lowerQuantile(0.95, 10), 10)).isEqualTo(8);
    assertThat(rank(WindowFinisher.lowerQuantile(0.95, 18), 18)).isEqualTo(15);
  }

  @Test
  void theBoundIsTheBinomialOrderStatisticAt95PercentConfidence() {
    for (int n : new int[] {5, 10, 18, 40, 200, 2000}) {
      long k = rank(WindowFinisher.lowerQuantile(0.95, n), n);
      // at least k of n samples lie below the true p95 with probability >= 0.95, and k is the
      // largest such rank
      assertThat(binomialTailAtLeast(n, 0.95, k))
          .as("n=%d k=%d", n, k)
          .isGreaterThanOrEqualTo(0.95);
      if (k < n) {
        assertThat(binomialTailAtLeast(n, 0.95, k + 1)).as("n=%d k+1", n).isLessThan(0.95);
      }
    }
  }

  @Test
  void largeWindowsUseTheNormalApproximationAndApproachTheQuantile() {
    assertThat(WindowFinisher.lowerQuantile(0.95, 100_000)).isCloseTo(0.95, within(0.002));
    assertThat(WindowFinisher.lowerQuantile(0.95, 5000)).isLessThan(0.95).isGreaterThan(0.94);
    assertThat(WindowFinisher.lowerQuantile(0.95, 0)).isEqualTo(0.95);
  }

  static double binomialTailAtLeast(int n, double p, long k) {
    double sum = 0;
    for (long i = k; i <= n; i++) {
      double logChoose = 0;
      for (long j = 1; j <= i; j++) {
        logChoose += Math.log(n - i + j) - Math.log(j);
      }
      sum += Math.exp(logChoose + i * Math.log(p) + (n - i) * Math.log1p(-p));
    }
    return sum;
  }
}
