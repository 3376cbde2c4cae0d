package io.llmobserve.simulator.engine;

import io.llmobserve.simulator.Exchange;
import io.llmobserve.simulator.Profile;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/** Everything shared by the request handlers, the admin API and the library facade. */
public final class SimulatorState {
  public final long seed;
  public final AtomicReference<Profile> profile;
  public final AtomicLong sequence = new AtomicLong();
  public final IncidentBook incidents;
  public final RateLimitBook rateLimits;
  public final Planner planner;
  public final ExchangeLog exchanges = new ExchangeLog();
  public final Stats stats = new Stats();

  public SimulatorState(long seed, Profile profile) {
    this(seed, profile, SimulatorState::monotonicMs);
  }

  /** {@code clockMs}: the time incident and rate-limit windows are read from (ms, any origin). */
  public SimulatorState(long seed, Profile profile, LongSupplier clockMs) {
    this.seed = seed;
    this.profile = new AtomicReference<>(profile);
    this.incidents = new IncidentBook(clockMs);
    this.rateLimits = new RateLimitBook(clockMs);
    this.planner = new Planner(rateLimits);
  }

  public void record(Exchange e) {
    exchanges.add(e, profile.get().maxExchanges());
    stats.record(e);
  }

  private static long monotonicMs() {
    return System.nanoTime() / 1_000_000;
  }
}
