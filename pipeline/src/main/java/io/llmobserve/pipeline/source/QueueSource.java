package io.llmobserve.pipeline.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
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
 * FLIP-27 source over a {@link ReceiverQueues} log: one split, read by subtask 0. The split carries
 * the read position and is checkpointed; the log is trimmed only when a checkpoint completes, so
 * after a task failover the reader resumes from the restored position and every request the
 * receiver answered 2xx is processed exactly once (within this process; a new process starts from
 * its own, new log).
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
  public SplitEnumerator<Split, Integer> restoreEnumerator(
      SplitEnumeratorContext<Split> ctx, Integer assigned) {
    // The split is in the reader's state once assigned; re-assigning would read twice.
    return new Enumerator(ctx, assigned != null && assigned == 1);
  }

  @Override
  public SimpleVersionedSerializer<Split> getSplitSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override
      public int getVersion() {
        return 2;
      }

      @Override
      public byte[] serialize(Split s) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(16);
        DataOutputStream out = new DataOutputStream(bos);
        out.writeLong(s.epoch);
        out.writeLong(s.position);
        return bos.toByteArray();
      }

      @Override
      public Split deserialize(int v, byte[] b) throws IOException {
        if (v < 2 || b.length < 16) {
          return new Split(0, -1); // before positions were kept: start at the log's oldest entry
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        return new Split(in.readLong(), in.readLong());
      }
    };
  }

  @Override
  public SimpleVersionedSerializer<Integer> getEnumeratorCheckpointSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override
      public int getVersion() {
        return 1;
      }

      @Override
      public byte[] serialize(Integer i) {
        return new byte[] {(byte) (int) i};
      }

      @Override
      public Integer deserialize(int v, byte[] b) throws IOException {
        return (int) b[0];
      }
    };
  }

  /**
   * The single split: "the log", with the position of the next request to read. A split from
   * another log (earlier process: other epoch) starts at this log's oldest entry.
   */
  public static final class Split implements SourceSplit {
    final long epoch;
    final long position;

    Split(long epoch, long position) {
      this.epoch = epoch;
      this.position = position;
    }

    @Override
    public String splitId() {
      return "otlp-receiver";
    }
  }

  private final class Enumerator implements SplitEnumerator<Split, Integer> {
    private final SplitEnumeratorContext<Split> ctx;
    private boolean assigned;
    private Split returned;

    Enumerator(SplitEnumeratorContext<Split> ctx, boolean assigned) {
      this.ctx = ctx;
      this.assigned = assigned;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String host) {}

    @Override
    public void addSplitsBack(List<Split> splits, int subtask) {
      // A failure before the split reached a checkpoint: hand back the split as assigned (its
      // position is still in the log, which is only trimmed by completed checkpoints).
      assigned = false;
      returned = splits.isEmpty() ? null : splits.get(0);
    }

    @Override
    public void addReader(int subtask) {
      if (!assigned && subtask == 0) {
        Split s = returned;
        if (s == null) {
          ReceiverLog log = ReceiverQueues.get(queueName);
          s = new Split(log.epoch(), log.first());
        }
        ctx.assignSplit(s, 0);
        assigned = true;
        returned = null;
      }
    }

    @Override
    public Integer snapshotState(long checkpointId) {
      return assigned ? 1 : 0;
    }

    @Override
    public void close() {}
  }

  private static final class Reader implements SourceReader<byte[], Split> {
    private final ReceiverLog queue;
    private final List<Split> splits = new ArrayList<>();

    /** Position recorded by each pending checkpoint, trimmed from the log when it completes. */
    private final NavigableMap<Long, Long> pending = new TreeMap<>();

    private long position = -1;
    private final ScheduledExecutorService waker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "otlp-queue-source-waker");
              t.setDaemon(true);
              return t;
            });
    private CompletableFuture<Void> available = new CompletableFuture<>();

    Reader(ReceiverLog queue) {
      this.queue = queue;
      queue.onAppend(this::wake);
    }

    /** An append: wakes the task waiting in {@link #isAvailable}. */
    private void wake() {
      CompletableFuture<Void> f;
      synchronized (this) {
        f = available;
      }
      f.complete(null);
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<byte[]> output) {
      if (splits.isEmpty()) {
        return InputStatus.NOTHING_AVAILABLE;
      }
      // Drain a bounded batch per call so checkpoints and mails still get their turn.
      for (int i = 0; i < 64; i++) {
        byte[] next = queue.get(position);
        if (next == null) {
          return InputStatus.NOTHING_AVAILABLE;
        }
        position++;
        output.collect(next);
        queue.markRead(position);
      }
      return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public synchronized CompletableFuture<Void> isAvailable() {
      if (!splits.isEmpty() && queue.next() > position) {
        return CompletableFuture.completedFuture(null);
      }
      if (available.isDone()) {
        available = new CompletableFuture<>();
      }
      CompletableFuture<Void> f = available;
      // Appends complete it at once (onAppend: an append after the check above completes this
      // future, one before it was seen by the check); the timer is a fallback only.
      waker.schedule(() -> f.complete(null), 50, TimeUnit.MILLISECONDS);
      return f;
    }

    @Override
    public List<Split> snapshotState(long checkpointId) {
      if (splits.isEmpty()) {
        return List.of();
      }
      pending.put(checkpointId, position);
      return List.of(new Split(queue.epoch(), position));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      Long upTo = pending.get(checkpointId);
      if (upTo != null) {
        queue.trimBefore(upTo);
      }
      pending.headMap(checkpointId, true).clear();
    }

    @Override
    public void addSplits(List<Split> s) {
      if (s.isEmpty() || !splits.isEmpty()) {
        // There is one split; the same one can arrive twice on recovery (restored state and the
        // enumerator). Taking it again would rewind the position and read records twice.
        return;
      }
      splits.add(s.get(0));
      Split split = s.get(0);
      position =
          split.epoch == queue.epoch() && split.position >= queue.first()
              ? split.position
              : queue.first();
      queue.markRead(position);
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() {
      waker.shutdownNow();
    }
  }
}
