package io.llmobserve.pipeline.source;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The embedded receiver's hand-over to the job, made replayable: every accepted request gets a
 * sequence number and stays in the log until a checkpoint that covers it completes. The job's
 * source records its read position in its checkpointed split; after a task failover it resumes from
 * the restored position, so a request answered 2xx is processed even if the task that had read it
 * died. Bounded in entries and bytes: when requests not yet covered by a checkpoint fill it, the
 * receiver answers 503 (OTLP exporters retry) instead of accepting what it could lose.
 *
 * <p>In memory: it survives task failovers, not the process. The epoch tells a restored split from
 * an earlier process (its positions mean nothing here) from one of this log.
 */
public final class ReceiverLog {
  private final byte[][] ring;
  private final long maxBytes;
  private final long epoch = ThreadLocalRandom.current().nextLong();
  private long first; // oldest retained sequence number
  private long next; // sequence number of the next append
  private long bytes;

  private volatile Runnable appendListener;

  /** The reader's position: entries from here on are accepted but not yet read by the job. */
  private volatile long readUpTo;

  public ReceiverLog(int maxEntries, long maxBytes) {
    this.ring = new byte[maxEntries][];
    this.maxBytes = maxBytes;
  }

  public long epoch() {
    return epoch;
  }

  /**
   * Appends, waiting up to {@code timeoutMillis} for room.
   *
   * @return false when the log stayed full (the caller answers 503)
   */
  public boolean append(byte[] payload, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (this) {
      while (!hasRoom(payload.length)) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, wait);
      }
      ring[(int) (next % ring.length)] = payload;
      next++;
      bytes += payload.length;
    }
    appended();
    return true;
  }

  /** Appends only if at most half the log is used: best-effort records never crowd out data. */
  public boolean tryAppendBestEffort(byte[] payload) {
    synchronized (this) {
      if (next - first >= ring.length / 2 || bytes + payload.length > maxBytes / 2) {
        return false;
      }
      ring[(int) (next % ring.length)] = payload;
      next++;
      bytes += payload.length;
    }
    appended();
    return true;
  }

  /**
   * Called after every append, outside the log's lock: the job's reader waits for it instead of
   * polling (a 1 ms poll cost ~4% of the embedded job's CPU).
   */
  public void onAppend(Runnable listener) {
    appendListener = listener;
  }

  private void appended() {
    Runnable r = appendListener;
    if (r != null) {
      r.run();
    }
  }

  private boolean hasRoom(int size) {
    return next - first < ring.length && (bytes + size <= maxBytes || next == first);
  }

  /** The payload at {@code seq}, or null when nothing has been appended there yet. */
  public synchronized byte[] get(long seq) {
    if (seq < first) {
      throw new IllegalStateException(
          "receiver log position " + seq + " already trimmed (oldest " + first + ")");
    }
    return seq < next ? ring[(int) (seq % ring.length)] : null;
  }

  public synchronized long first() {
    return first;
  }

  public synchronized long next() {
    return next;
  }

  /** The job's source has read everything before {@code position} (see {@link #hasUnread}). */
  public void markRead(long position) {
    readUpTo = position;
  }

  /** The job's source has read every entry before this sequence number. */
  public long readPosition() {
    return readUpTo;
  }

  /** Whether accepted requests wait unread: event time must not take this for a quiet input. */
  public boolean hasUnread() {
    return next() > readUpTo;
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int size() {
    return (int) (next - first);
  }

  /** Frees every entry before {@code seq}: a completed checkpoint covers them. */
  public synchronized void trimBefore(long seq) {
    long to = Math.min(seq, next);
    while (first < to) {
      int i = (int) (first % ring.length);
      bytes -= ring[i].length;
      ring[i] = null;
      first++;
    }
    notifyAll();
  }
}
