package io.llmobserve.pipeline.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * In-JVM hand-over from the embedded OTLP receiver (HTTP threads) to the job's source (a task of
 * the local MiniCluster in the same JVM), through a replayable {@link ReceiverLog}. Bounded: a full
 * log pushes back on the sender (503, which OTLP exporters retry).
 */
public final class ReceiverQueues {
  private ReceiverQueues() {}

  private static final Map<String, ReceiverLog> QUEUES = new ConcurrentHashMap<>();

  /** Requests read in full but not yet in the log (being parsed), per log. */
  private static final Map<ReceiverLog, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();

  public static ReceiverLog create(String name, int capacity, long maxBytes) {
    ReceiverLog q = new ReceiverLog(capacity, maxBytes);
    QUEUES.put(name, q);
    IN_FLIGHT.put(q, new AtomicInteger());
    return q;
  }

  public static ReceiverLog get(String name) {
    ReceiverLog q = QUEUES.get(name);
    if (q == null) {
      throw new IllegalStateException(
          "no OTLP receiver queue '"
              + name
              + "' in this JVM: --source otlp only runs embedded (java -jar)");
    }
    return q;
  }

  /** The receiver has read a request's body and now parses it for {@code queue}. */
  public static void requestReceived(ReceiverLog queue) {
    var n = IN_FLIGHT.get(queue);
    if (n != null) {
      n.incrementAndGet();
    }
  }

  /** That request is queued or answered with an error. */
  public static void requestDone(ReceiverLog queue) {
    var n = IN_FLIGHT.get(queue);
    if (n != null) {
      n.decrementAndGet();
    }
  }

  /**
   * Whether received payloads wait unread, in the named queue or still being parsed: the watermark
   * generator never takes such a moment for a quiet input (see LlmWatermarks), so a slow or
   * backlogged pipeline never makes spans late. Null or unknown name: never.
   */
  public static BooleanSupplier pendingInput(String name) {
    return () -> {
      ReceiverLog q = name == null ? null : QUEUES.get(name);
      if (q == null) {
        return false;
      }
      var n = IN_FLIGHT.get(q);
      return q.hasUnread() || (n != null && n.get() > 0);
    };
  }

  public static void remove(String name) {
    ReceiverLog q = QUEUES.remove(name);
    if (q != null) {
      IN_FLIGHT.remove(q);
    }
  }
}
