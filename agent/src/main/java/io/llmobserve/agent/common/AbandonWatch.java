package io.llmobserve.agent.common;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the spans of responses the app walked away from, so no span stays open forever:
 *
 * <ul>
 *   <li>{@link #ABANDONED}: the app-visible body object (OkHttp's response body, the JDK client's
 *       body InputStream) became unreachable while its exchange was open. Detected with a {@link
 *       PhantomReference} that holds only the exchange, never the body.
 *   <li>{@link #IDLE_TIMEOUT}: the call saw no activity (request bytes, headers, body bytes, reads)
 *       for the configured time ({@link LlmSettings#ABANDON_TIMEOUT}, default 10 min like the
 *       OpenAI SDKs' own request timeout): a body held but never read nor closed, a response future
 *       nobody waits for, a server that never answers.
 * </ul>
 *
 * <p>Both end the span even while its end is held (see {@link LlmExchange#holdEnd()}).
 *
 * <p>One daemon thread per watch (one shared watch per class loader the helpers live in), started
 * on first use, serves both: it waits on the reference queue and sweeps the idle set between waits.
 * Memory is bounded: entries leave at the exchange's end, and at most {@link #DEFAULT_MAX_WATCHED}
 * of each kind are tracked (beyond that a call is simply not watched). No lambdas: every class here
 * must be an injectable helper.
 */
public final class AbandonWatch implements Runnable {
  /** error.type of a span whose body the app dropped unread. */
  public static final String ABANDONED = "abandoned";

  /** error.type of a span whose body stayed idle past the abandon timeout. */
  public static final String IDLE_TIMEOUT = "idle_timeout";

  static final int DEFAULT_MAX_WATCHED = 10_000;
  private static final String THREAD_NAME = "llm-observe-abandon-watch";

  private static volatile AbandonWatch shared;

  private final long idleTimeoutNanos;
  private final long sweepMillis;
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  private final Set<LlmExchange> idleWatched = ConcurrentHashMap.newKeySet();
  private final Set<BodyRef> bodies = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean started = new AtomicBoolean();
  private final int maxWatched;

  /** A watch with its own thread (tests); {@code idleTimeoutMillis <= 0}: no idle deadline. */
  public AbandonWatch(long idleTimeoutMillis) {
    this(idleTimeoutMillis, DEFAULT_MAX_WATCHED);
  }

  AbandonWatch(long idleTimeoutMillis, int maxWatched) {
    this.maxWatched = maxWatched;
    this.idleTimeoutNanos =
        idleTimeoutMillis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    // a sweep every quarter of the timeout (so a deadline is late by at most 25%), 100ms..30s
    this.sweepMillis =
        idleTimeoutMillis <= 0 ? 30_000 : Math.max(100, Math.min(idleTimeoutMillis / 4, 30_000));
  }

  /** The watch of this class loader, configured from {@link LlmSettings#abandonTimeoutMillis()}. */
  public static AbandonWatch shared() {
    AbandonWatch w = shared;
    if (w == null) {
      synchronized (AbandonWatch.class) {
        w = shared;
        if (w == null) {
          w = new AbandonWatch(LlmSettings.abandonTimeoutMillis());
          shared = w;
        }
      }
    }
    return w;
  }

  /** Starts the idle deadline of a new exchange. */
  void watchIdle(LlmExchange exchange) {
    if (idleTimeoutNanos <= 0 || exchange.isEnded() || idleWatched.size() >= maxWatched) {
      return;
    }
    idleWatched.add(exchange);
    ensureStarted();
    if (exchange.isEnded()) { // ended meanwhile: its forget may have run before the add
      idleWatched.remove(exchange);
    }
  }

  /**
   * Ends the exchange as abandoned once {@code appVisibleBody} is unreachable; the returned handle
   * goes back to {@link #forget}. Null when not watched.
   */
  BodyRef watchBody(Object appVisibleBody, LlmExchange exchange) {
    if (appVisibleBody == null || exchange.isEnded() || bodies.size() >= maxWatched) {
      return null;
    }
    BodyRef ref = new BodyRef(appVisibleBody, queue, exchange);
    bodies.add(ref); // the set keeps the reference itself reachable until it is enqueued
    ensureStarted();
    if (exchange.isEnded()) {
      forgetBody(ref);
      return null;
    }
    return ref;
  }

  /** The exchange ended (any way): stop watching it. */
  void forget(LlmExchange exchange, BodyRef ref) {
    idleWatched.remove(exchange);
    forgetBody(ref);
  }

  private void forgetBody(BodyRef ref) {
    if (ref != null) {
      bodies.remove(ref);
      ref.clear();
    }
  }

  /** Exchanges watched now (idle deadline, body reachability): tests and bounds checks. */
  int idleWatchedCount() {
    return idleWatched.size();
  }

  int bodyWatchedCount() {
    return bodies.size();
  }

  private void ensureStarted() {
    if (started.get() || !started.compareAndSet(false, true)) {
      return;
    }
    try {
      Thread thread =
          new Thread(
              null, this, THREAD_NAME, 0, false); // inherit no thread-locals of the first caller
      thread.setDaemon(true);
      thread.setContextClassLoader(null); // never pin an app class loader
      thread.start();
    } catch (Throwable t) {
      started.set(false); // try again with the next call
    }
  }

  @Override
  public void run() {
    long nextSweep = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sweepMillis);
    while (true) {
      try {
        Reference<?> ref = queue.remove(sweepMillis);
        while (ref != null) {
          if (ref instanceof BodyRef) {
            BodyRef body = (BodyRef) ref;
            bodies.remove(body);
            body.exchange.abandon(ABANDONED);
          }
          ref = queue.poll();
        }
        long now = System.nanoTime();
        if (now - nextSweep >= 0) {
          sweepIdle(now);
          nextSweep = now + TimeUnit.MILLISECONDS.toNanos(sweepMillis);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        // keep watching: one bad exchange must not stop the others from ending
      }
    }
  }

  void sweepIdle(long now) {
    for (Iterator<LlmExchange> it = idleWatched.iterator(); it.hasNext(); ) {
      LlmExchange exchange = it.next();
      if (exchange.isEnded()) {
        it.remove();
      } else if (now - exchange.lastActivityNanos() >= idleTimeoutNanos) {
        it.remove();
        exchange.abandon(IDLE_TIMEOUT);
      }
    }
  }

  /** Holds the exchange strongly and the body not at all (phantom). */
  static final class BodyRef extends PhantomReference<Object> {
    final LlmExchange exchange;

    BodyRef(Object body, ReferenceQueue<Object> queue, LlmExchange exchange) {
      super(body, queue);
      this.exchange = exchange;
    }
  }
}
