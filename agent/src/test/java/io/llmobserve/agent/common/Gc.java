package io.llmobserve.agent.common;

import java.util.function.BooleanSupplier;

/** Bounded GC loops for reachability tests. */
public final class Gc {
  private Gc() {}

  /** Runs GC until the condition holds, at most {@code seconds}; the condition's last value. */
  public static boolean gcUntil(BooleanSupplier condition, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      System.gc();
      Thread.sleep(50);
    }
    return true;
  }

  /** A few GC cycles (for "nothing happens" checks). */
  public static void gcSome() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }
}
