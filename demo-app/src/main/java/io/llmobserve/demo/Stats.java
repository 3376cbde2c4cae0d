package io.llmobserve.demo;

import java.util.concurrent.atomic.LongAdder;

/** Counters behind the progress line. */
final class Stats {
  final LongAdder started = new LongAdder();
  final LongAdder ok = new LongAdder();
  final LongAdder throttled = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder skipped = new LongAdder();
  final LongAdder inFlight = new LongAdder();
  final LongAdder okMillis = new LongAdder();
  private final long startNanos = System.nanoTime();

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  String summary() {
    double t = elapsedSeconds();
    long okCount = ok.sum();
    return String.format(
        "t=%.0fs calls=%d ok=%d throttled=%d errors=%d skipped=%d inflight=%d rate=%.1f/s avg_ok_ms=%d",
        t,
        started.sum(),
        okCount,
        throttled.sum(),
        errors.sum(),
        skipped.sum(),
        inFlight.sum(),
        t > 0 ? started.sum() / t : 0.0,
        okCount > 0 ? okMillis.sum() / okCount : 0);
  }
}
