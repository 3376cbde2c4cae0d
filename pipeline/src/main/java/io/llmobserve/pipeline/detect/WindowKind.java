package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.WindowAggregate;

/**
 * The window detectors: which value of a {@link WindowAggregate} each one judges, which windows
 * are too thin to judge at all, and which are too thin to open an alert.
 */
public enum WindowKind {
  /**
   * p95 rather than p50: users feel the tail, and a degradation of one backend behind a load
   * balancer (a fraction of calls) moves p95 long before p50. Thin windows are skipped because
   * the p95 of a handful of calls is just their maximum.
   */
  LATENCY_SPIKE("latency_spike", "latency", " s") {
    @Override
    double value(WindowAggregate w) {
      return w.latencyP95;
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
    long sampleCount(WindowAggregate w) {
      return w.ttftCount;
    }
  },
  /** Input + output tokens per window: a runaway loop or prompt blow-up burns both. */
  TOKEN_BURN("token_burn", "tokens", " tokens") {
    @Override
    double value(WindowAggregate w) {
      return Math.max(0, w.inputTokens) + Math.max(0, w.outputTokens);
    }
  },
  /** Share of calls that failed (not throttled); opens only with a minimum error count. */
  ERROR_BURST("error_burst", "errors", "") {
    @Override
    double value(WindowAggregate w) {
      return w.calls > 0 ? (double) w.errorCalls / w.calls : Double.NaN;
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
