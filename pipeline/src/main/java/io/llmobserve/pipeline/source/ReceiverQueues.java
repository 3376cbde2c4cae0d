package io.llmobserve.pipeline.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-JVM hand-over from the embedded OTLP receiver (HTTP threads) to the job's source (a task
 * of the local MiniCluster in the same JVM), through a replayable {@link ReceiverLog}. Bounded: a
 * full log pushes back on the sender (503, which OTLP exporters retry).
 */
public final class ReceiverQueues {
  private ReceiverQueues() {}

  private static final Map<String, ReceiverLog> QUEUES = new ConcurrentHashMap<>();

  public static ReceiverLog create(String name, int capacity, long maxBytes) {
    ReceiverLog q = new ReceiverLog(capacity, maxBytes);
    QUEUES.put(name, q);
    return q;
  }

  public static ReceiverLog get(String name) {
    ReceiverLog q = QUEUES.get(name);
    if (q == null) {
      throw new IllegalStateException(
          "no OTLP receiver queue '" + name + "' in this JVM: --source otlp only runs embedded (java -jar)");
    }
    return q;
  }

  public static void remove(String name) {
    QUEUES.remove(name);
  }
}
