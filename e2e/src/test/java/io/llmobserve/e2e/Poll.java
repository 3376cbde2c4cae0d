package io.llmobserve.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** Waits on a condition (Awaitility) with progress output; always bounded. */
final class Poll {
  private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private Poll() {}

  /**
   * Calls {@code probe} every {@code every} until it returns a value or {@code timeout} passes;
   * fails at once if a process in {@code mustStayAlive} died. {@code onTimeout} builds the failure
   * message (e.g. with process logs).
   */
  static <T> T until(
      String what,
      Duration timeout,
      Duration every,
      Supplier<Optional<T>> probe,
      Supplier<String> onTimeout,
      ManagedProcess... mustStayAlive) {
    AtomicReference<RuntimeException> lastError = new AtomicReference<>();
    AtomicReference<Duration> nextReport = new AtomicReference<>(REPORT_EVERY);
    try {
      return await(what)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(every)
          .conditionEvaluationListener(
              condition -> {
                Duration waited = Duration.ofMillis(condition.getElapsedTimeInMS());
                if (waited.compareTo(nextReport.get()) >= 0) {
                  nextReport.set(waited.plus(REPORT_EVERY));
                  System.out.printf(
                      "[e2e]   ... still waiting for %s (%ds)%n", what, waited.toSeconds());
                }
              })
          .until(
              () -> {
                for (ManagedProcess p : mustStayAlive) {
                  p.assertAlive();
                }
                try {
                  Optional<T> v = probe.get();
                  lastError.set(null);
                  return v;
                } catch (RuntimeException e) {
                  lastError.set(e); // e.g. connection refused while a server starts
                  return Optional.<T>empty();
                }
              },
              Optional::isPresent)
          .get();
    } catch (ConditionTimeoutException e) {
      RuntimeException last = lastError.get();
      throw new AssertionError(
          "timed out after "
              + timeout.toSeconds()
              + "s waiting for "
              + what
              + (last != null ? " (last error: " + last + ")" : "")
              + "\n"
              + onTimeout.get(),
          e);
    }
  }

  /**
   * Waits until GET {@code url} answers 2xx (a server started as {@code process} is ready), failing
   * at once if the process died; the failure shows the last lines of its log.
   */
  static void untilUp(String what, String url, Duration timeout, ManagedProcess process) {
    until(
        what,
        timeout,
        Duration.ofMillis(300),
        () -> Http.ok(url) ? Optional.of(true) : Optional.empty(),
        () -> process.tail(40),
        process);
  }

  /**
   * A pause that is itself the scenario (e.g. baseline traffic running), not a wait for a result.
   */
  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
