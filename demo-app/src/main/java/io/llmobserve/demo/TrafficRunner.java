package io.llmobserve.demo;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Starts calls at a steady rate (open loop, like user traffic: slow calls do not slow the
 * arrivals), with at most {@code concurrency} in flight. Failures are logged in one line and
 * counted; the app carries on.
 */
final class TrafficRunner {
  private final TrafficMix mix;
  private final double rps;
  private final Semaphore slots;
  private final Random random;
  private final Duration progressEvery;
  private final Long maxCalls;
  private final Stats stats = new Stats();
  private final CountDownLatch finished = new CountDownLatch(1);

  TrafficRunner(
      TrafficMix mix,
      double rps,
      int concurrency,
      long seed,
      Duration progressEvery,
      Long maxCalls) {
    this.mix = mix;
    this.rps = rps;
    this.slots = new Semaphore(concurrency);
    this.random = new Random(seed);
    this.progressEvery = progressEvery;
    this.maxCalls = maxCalls;
  }

  Stats run(Duration duration) throws InterruptedException {
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "demo-ticker"));
    ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "demo-worker"));
    long periodNanos = Math.max(1, (long) (1_000_000_000L / rps));
    ticker.scheduleAtFixedRate(() -> tick(workers), 0, periodNanos, TimeUnit.NANOSECONDS);
    ticker.scheduleAtFixedRate(
        () -> System.out.println("[demo] " + stats.summary()),
        progressEvery.toMillis(),
        progressEvery.toMillis(),
        TimeUnit.MILLISECONDS);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> System.out.println("[demo] stopping: " + stats.summary())));
    System.out.println(
        "[demo] sending "
            + rps
            + " calls/s"
            + (duration == null ? "" : " for " + duration)
            + " across "
            + mix.entries().size()
            + " kinds of call");
    if (duration == null) {
      finished.await();
    } else {
      finished.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
    ticker.shutdownNow();
    workers.shutdown();
    workers.awaitTermination(60, TimeUnit.SECONDS); // let calls in flight finish
    return stats;
  }

  private void tick(ExecutorService workers) {
    if (maxCalls != null && stats.started.sum() >= maxCalls) {
      finished.countDown();
      return;
    }
    TrafficMix.Entry entry = mix.pick(random);
    TrafficMix.Ask ask = TrafficMix.ask(random);
    if (!slots.tryAcquire()) {
      stats.skipped.increment();
      return;
    }
    stats.started.increment();
    stats.inFlight.increment();
    workers.execute(
        () -> {
          long start = System.nanoTime();
          try {
            entry.workload().call(ask);
            stats.ok.increment();
            stats.okMillis.add((System.nanoTime() - start) / 1_000_000);
          } catch (Throwable t) {
            if (ErrorLine.status(t) == 429) {
              stats.throttled.increment();
            } else {
              stats.errors.increment();
            }
            System.out.println(ErrorLine.describe(entry.name(), t));
          } finally {
            stats.inFlight.decrement();
            slots.release();
          }
        });
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
