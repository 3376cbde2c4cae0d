package io.llmobserve.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition with progress output; a bounded wait, never an open-ended loop. */
final class Poll {
  private Poll() {}

  /**
   * Calls {@code probe} every {@code every} until it returns a value or {@code timeout} passes.
   * {@code onTimeout} builds the failure message (e.g. with process logs).
   */
  static <T> T until(
      String what,
      Duration timeout,
      Duration every,
      Supplier<Optional<T>> probe,
      Supplier<String> onTimeout,
      ManagedProcess... mustStayAlive) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long start = System.nanoTime();
    long lastReport = start;
    RuntimeException lastError = null;
    while (System.nanoTime() < deadline) {
      for (ManagedProcess p : mustStayAlive) {
        p.assertAlive();
      }
      try {
        Optional<T> v = probe.get();
        if (v.isPresent()) {
          return v.get();
        }
        lastError = null;
      } catch (RuntimeException e) {
        lastError = e; // e.g. connection refused while a server starts
      }
      if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
        lastReport = System.nanoTime();
        System.out.printf(
            "[e2e]   ... still waiting for %s (%ds)%n",
            what, Duration.ofNanos(lastReport - start).toSeconds());
      }
      sleep(every);
    }
    throw new AssertionError(
        "timed out after "
            + timeout.toSeconds()
            + "s waiting for "
            + what
            + (lastError != null ? " (last error: " + lastError + ")" : "")
            + "\n"
            + onTimeout.get());
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
