package io.llmobserve.pipeline.source;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-JVM hand-over from the embedded OTLP receiver (HTTP threads) to the job's source (a task
 * of the local MiniCluster in the same JVM). Bounded: a full queue pushes back on the sender
 * (503, which OTLP exporters retry).
 */
public final class ReceiverQueues {
  private ReceiverQueues() {}

  private static final Map<String, BlockingQueue<byte[]>> QUEUES = new ConcurrentHashMap<>();

  public static BlockingQueue<byte[]> create(String name, int capacity) {
    BlockingQueue<byte[]> q = new ArrayBlockingQueue<>(capacity);
    QUEUES.put(name, q);
    return q;
  }

  public static BlockingQueue<byte[]> get(String name) {
    BlockingQueue<byte[]> q = QUEUES.get(name);
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
