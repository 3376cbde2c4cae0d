package io.llmobserve.agent.common;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Reachability tests: the JVM notices an unreachable object only when it collects, so these waits
 * ask for a GC at every poll. Bounded by Awaitility's timeouts, generous for a loaded machine.
 */
public final class Gc {
  private static final Duration POLL = Duration.ofMillis(50);

  private Gc() {}

  /** Collects until the condition holds; fails after 30 s. */
  public static void gcUntil(String what, BooleanSupplier condition) {
    await(what)
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .until(() -> collected() && condition.getAsBoolean());
  }

  /** Asserts the condition keeps holding over several collections (a "nothing happens" check). */
  public static void holdsThroughGc(String what, BooleanSupplier condition) {
    await(what)
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .until(() -> collected() && condition.getAsBoolean());
  }

  private static boolean collected() {
    System.gc();
    return true;
  }
}
