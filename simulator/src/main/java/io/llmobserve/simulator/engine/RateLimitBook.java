package io.llmobserve.simulator.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-minute request and token budgets per key (provider + deployment), like the providers' own.
 */
public final class RateLimitBook {
  /** Budget state after a call. */
  public record Snapshot(
      long limitRequests,
      long remainingRequests,
      long limitTokens,
      long remainingTokens,
      long resetRequestsMs,
      long resetTokensMs,
      boolean exhausted) {
    public Snapshot drained() {
      return new Snapshot(limitRequests, 0, limitTokens, 0, resetRequestsMs, resetTokensMs, true);
    }
  }

  private static final long WINDOW_MS = 60_000;

  private final LongSupplier clockMs;
  private final Map<String, long[]> windows =
      new HashMap<>(); // key -> {windowStart, requests, tokens}

  public RateLimitBook(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /** Records a call using {@code tokens}, returns the remaining budget (never below zero). */
  public synchronized Snapshot consume(
      String key, long limitRequests, long limitTokens, long tokens) {
    long now = clockMs.getAsLong();
    long[] w = windows.computeIfAbsent(key, k -> new long[] {now, 0, 0});
    if (now - w[0] >= WINDOW_MS) {
      w[0] = now;
      w[1] = 0;
      w[2] = 0;
    }
    boolean exhausted = w[1] + 1 > limitRequests || w[2] + tokens > limitTokens;
    if (!exhausted) {
      w[1] += 1;
      w[2] += tokens;
    }
    long reset = Math.max(1, w[0] + WINDOW_MS - now);
    // Token budgets refill continuously at the providers: report the proportional time to regain
    // what was used.
    long resetTokens = limitTokens <= 0 ? 0 : Math.min(reset, w[2] * WINDOW_MS / limitTokens);
    long resetRequests = limitRequests <= 0 ? 0 : Math.min(reset, w[1] * WINDOW_MS / limitRequests);
    return new Snapshot(
        limitRequests,
        Math.max(0, limitRequests - w[1]),
        limitTokens,
        Math.max(0, limitTokens - w[2]),
        Math.max(1, resetRequests),
        Math.max(1, resetTokens),
        exhausted);
  }

  public synchronized void clear() {
    windows.clear();
  }
}
