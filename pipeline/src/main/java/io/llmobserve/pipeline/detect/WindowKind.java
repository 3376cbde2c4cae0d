package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.WindowAggregate;

/**
 * The window detectors: which value of a {@link WindowAggregate} each one judges, which windows are
 * too thin to judge at all, and which are too thin to open an alert.
 */
public enum WindowKind {
  /**
   * p95 rather than p50: users feel the tail, and a degradation of one backend behind a load
   * balancer (a fraction of calls) moves p95 long before p50. The p95 of a thin window is little
   * more than its slowest call: the baseline learns the p95, but an alert opens on a lower
   * confidence bound of it given the window's call count.
   */
  LATENCY_SPIKE("latency_spike", "latency", " s") {
    @Override
    double value(WindowAggregate w) {
      return w.latencyP95;
    }

    @Override
    double openValue(WindowAggregate w) {
      return w.latencyP95Lower;
    }

    @Override
    long sampleCount(WindowAggregate w) {
      return w.calls;
    }
  },
  /** Time to first token, p95, streaming calls only. */
  TTFT_REGRESSION("ttft_regression", "ttft", " s") {
    @Override
    double value(WindowAggregate w) {
      return w.ttftCount > 0 ? w.ttftP95 : Double.NaN;
    }

    @Override
    double openValue(WindowAggregate w) {
      return w.ttftP95Lower;
    }

    @Override
    long sampleCount(WindowAggregate w) {
      return w.ttftCount;
    }
  },
  /**
   * Input + output tokens per successful call: a generation that runs away (six times the output
   * per call) or a prompt that blows up, whatever the traffic volume does. Volume is cost_spike's
   * business; a per-window total would also follow the daily load curve.
   */
  TOKEN_BURN("token_burn", "tokens", " tokens/call") {
    @Override
    double value(WindowAggregate w) {
      return w.okCalls > 0
          ? (double) (Math.max(0, w.inputTokens) + Math.max(0, w.outputTokens)) / w.okCalls
          : Double.NaN;
    }

    @Override
    double openValue(WindowAggregate w) {
      // The mean of a few calls is noisy: tokens per call vary about as much as their mean
      // (coefficient of variation ~1 covers log-normal prompts), so the lower bound, one
      // standard error below, is mean * (1 - 1 / sqrt(n)) (0 below 2 calls: never opens).
      double v = value(w);
      return v * Math.max(0, 1 - 1 / Math.sqrt(Math.max(1, w.okCalls)));
    }

    @Override
    long sampleCount(WindowAggregate w) {
      return w.okCalls;
    }
  },
  /** Share of calls that failed (not throttled); opens only with a minimum error count. */
  ERROR_BURST("error_burst", "errors", "") {
    @Override
    double value(WindowAggregate w) {
      return w.calls > 0 ? (double) w.errorCalls / w.calls : Double.NaN;
    }

    @Override
    double openValue(WindowAggregate w) {
      return wilsonLower(w.errorCalls, w.calls);
    }

    @Override
    long openCount(WindowAggregate w) {
      return w.errorCalls;
    }
  },
  /** Share of calls that were throttled (429); opens only with a minimum throttled count. */
  THROTTLING("throttling", "throttling", "") {
    @Override
    double value(WindowAggregate w) {
      return w.calls > 0 ? (double) w.throttledCalls / w.calls : Double.NaN;
    }

    @Override
    double openValue(WindowAggregate w) {
      return wilsonLower(w.throttledCalls, w.calls);
    }

    @Override
    long openCount(WindowAggregate w) {
      return w.throttledCalls;
    }
  },
  /** Estimated spend per window, USD. */
  COST_SPIKE("cost_spike", "cost", " USD") {
    @Override
    double value(WindowAggregate w) {
      return w.costUsd;
    }
  };

  /** The anomaly kind (DESIGN.md). */
  public final String kind;

  /** Settings key prefix, e.g. "latency" for "latency.threshold". */
  public final String settingsPrefix;

  final String unit;

  WindowKind(String kind, String settingsPrefix, String unit) {
    this.kind = kind;
    this.settingsPrefix = settingsPrefix;
    this.unit = unit;
  }

  /** The value judged; NaN = nothing to judge in this window. */
  abstract double value(WindowAggregate w);

  /**
   * A conservative estimate of {@link #value} given the window's sample size, judged for opening an
   * alert (NaN = the value itself).
   */
  double openValue(WindowAggregate w) {
    return Double.NaN;
  }

  /** Wilson score lower bound (90% one-sided) of a share k/n: 1 error in 5 calls is not 20%. */
  static double wilsonLower(long k, long n) {
    if (n <= 0) {
      return Double.NaN;
    }
    double z = 1.2816;
    double p = (double) k / n;
    double z2n = z * z / n;
    double centre = p + z2n / 2;
    double margin = z * Math.sqrt(p * (1 - p) / n + z2n / (4.0 * n));
    return Math.max(0, (centre - margin) / (1 + z2n));
  }

  /** Samples behind {@link #value}; windows with fewer than min.calls are skipped. */
  long sampleCount(WindowAggregate w) {
    return w.calls;
  }

  /** Events behind an alert; fewer than min.count cannot open one. */
  long openCount(WindowAggregate w) {
    return Long.MAX_VALUE;
  }

  /** "detect-latency-spike": operator name and uid. */
  public String operatorName() {
    return "detect-" + kind.replace('_', '-');
  }
}
