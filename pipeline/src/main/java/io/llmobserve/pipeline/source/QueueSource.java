package io.llmobserve.pipeline.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * FLIP-27 source over a {@link ReceiverQueues} queue: one split, read by subtask 0. Not
 * replayable: a failover loses payloads that were in flight (embedded mode is for local use;
 * the Kafka source is the exactly-once path).
 */
public class QueueSource implements Source<byte[], QueueSource.Split, Integer> {
  private static final long serialVersionUID = 1L;
  private final String queueName;

  public QueueSource(String queueName) {
    this.queueName = queueName;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<byte[], Split> createReader(SourceReaderContext ctx) {
    return new Reader(ReceiverQueues.get(queueName));
  }

  @Override
  public SplitEnumerator<Split, Integer> createEnumerator(SplitEnumeratorContext<Split> ctx) {
    return new Enumerator(ctx, false);
  }

  @Override
  public SplitEnumerator<Split, Integer> restoreEnumerator(SplitEnumeratorContext<Split> ctx, Integer assigned) {
    // The split is in the reader's state once assigned; re-assigning would read twice.
    return new Enumerator(ctx, assigned != null && assigned == 1);
  }

  @Override
  public SimpleVersionedSerializer<Split> getSplitSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override public int getVersion() { return 1; }
      @Override public byte[] serialize(Split s) { return new byte[0]; }
      @Override public Split deserialize(int v, byte[] b) { return new Split(); }
    };
  }

  @Override
  public SimpleVersionedSerializer<Integer> getEnumeratorCheckpointSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override public int getVersion() { return 1; }
      @Override public byte[] serialize(Integer i) { return new byte[] {(byte) (int) i}; }
      @Override public Integer deserialize(int v, byte[] b) throws IOException { return (int) b[0]; }
    };
  }

  /** The single split: "the queue". */
  public static final class Split implements SourceSplit {
    @Override
    public String splitId() {
      return "otlp-receiver";
    }
  }

  private static final class Enumerator implements SplitEnumerator<Split, Integer> {
    private final SplitEnumeratorContext<Split> ctx;
    private boolean assigned;

    Enumerator(SplitEnumeratorContext<Split> ctx, boolean assigned) {
      this.ctx = ctx;
      this.assigned = assigned;
    }

    @Override public void start() {}
    @Override public void handleSplitRequest(int subtask, String host) {}

    @Override
    public void addSplitsBack(List<Split> splits, int subtask) {
      assigned = false;
      addReader(subtask);
    }

    @Override
    public void addReader(int subtask) {
      if (!assigned && subtask == 0) {
        ctx.assignSplit(new Split(), 0);
        assigned = true;
      }
    }

    @Override public Integer snapshotState(long checkpointId) { return assigned ? 1 : 0; }
    @Override public void close() {}
  }

  private static final class Reader implements SourceReader<byte[], Split> {
    private final BlockingQueue<byte[]> queue;
    private final List<Split> splits = new ArrayList<>();
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "otlp-queue-source-waker");
      t.setDaemon(true);
      return t;
    });
    private CompletableFuture<Void> available = new CompletableFuture<>();

    Reader(BlockingQueue<byte[]> queue) {
      this.queue = queue;
    }

    @Override public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<byte[]> output) {
      if (splits.isEmpty()) {
        return InputStatus.NOTHING_AVAILABLE;
      }
      // Drain a bounded batch per call so checkpoints and mails still get their turn.
      for (int i = 0; i < 64; i++) {
        byte[] next = queue.poll();
        if (next == null) {
          return InputStatus.NOTHING_AVAILABLE;
        }
        output.collect(next);
      }
      return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public synchronized CompletableFuture<Void> isAvailable() {
      if (!splits.isEmpty() && !queue.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      if (available.isDone()) {
        available = new CompletableFuture<>();
      }
      CompletableFuture<Void> f = available;
      // The queue has no listener API; a short poll keeps latency ~1 ms without busy-spinning.
      waker.schedule(() -> f.complete(null), 1, TimeUnit.MILLISECONDS);
      return f;
    }

    @Override public List<Split> snapshotState(long checkpointId) { return List.copyOf(splits); }

    @Override
    public void addSplits(List<Split> s) {
      splits.addAll(s);
    }

    @Override public void notifyNoMoreSplits() {}

    @Override
    public void close() {
      waker.shutdownNow();
    }
  }
}
