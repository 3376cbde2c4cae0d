package io.llmobserve.agent.extension;

import java.util.Arrays;

/**
 * Our most recently exported LLM spans (trace id, time interval, provider request id), a fixed
 * number of them: lets the exporter tell whether another library's gen_ai span wraps a call we
 * observed. Every LLM span is added, while a lookup happens only for a foreign gen_ai span, so
 * adding allocates nothing: a ring of entries in preallocated arrays (the newest overwrites the
 * oldest) and two chained hash indexes over it, by trace id and by request id, in int arrays. The
 * strings are the spans' own (no copies); at most {@code capacity} of each are held. Not
 * thread-safe: its one user, {@link GenAiClientSpanExporter#demoteForeign}, holds its own lock
 * around every call.
 */
final class RecentLlmSpans {
  private static final int NONE = -1;

  private final String[] traceIds;
  private final String[] requestIds;
  private final long[] starts;
  private final long[] ends;
  private final int[] traceHead;
  private final int[] traceNext;
  private final int[] idHead;
  private final int[] idNext;
  private final int mask;
  private int next; // the ring slot the next span takes (holding the oldest once all are used)

  RecentLlmSpans(int capacity) {
    traceIds = new String[capacity];
    requestIds = new String[capacity];
    starts = new long[capacity];
    ends = new long[capacity];
    traceNext = new int[capacity];
    idNext = new int[capacity];
    int buckets =
        Integer.highestOneBit(Math.max(2, capacity) * 2 - 1); // a power of two >= capacity
    traceHead = new int[buckets];
    idHead = new int[buckets];
    Arrays.fill(traceHead, NONE);
    Arrays.fill(idHead, NONE);
    mask = buckets - 1;
  }

  /** Remembers one of our spans; the oldest is forgotten once {@code capacity} are held. */
  void add(String traceId, long startNanos, long endNanos, String requestId) {
    int p = next;
    next = (p + 1) % traceIds.length;
    if (traceIds[p] != null) { // the slot's span is the oldest: forget it
      unlink(traceHead, traceNext, traceIds[p], p);
      if (requestIds[p] != null) {
        unlink(idHead, idNext, requestIds[p], p);
      }
    }
    traceIds[p] = traceId;
    starts[p] = startNanos;
    ends[p] = endNanos;
    requestIds[p] = requestId;
    link(traceHead, traceNext, traceId, p);
    if (requestId != null) {
      link(idHead, idNext, requestId, p);
    }
  }

  /** True when one of our remembered spans of this trace lies within [start, end]. */
  boolean enclosesOneOf(String traceId, long startNanos, long endNanos) {
    for (int p = traceHead[bucket(traceId)]; p != NONE; p = traceNext[p]) {
      if (starts[p] >= startNanos && ends[p] <= endNanos && traceId.equals(traceIds[p])) {
        return true;
      }
    }
    return false;
  }

  /** True when one of our remembered spans carries this provider request id. */
  boolean hasRequestId(String requestId) {
    for (int p = idHead[bucket(requestId)]; p != NONE; p = idNext[p]) {
      if (requestId.equals(requestIds[p])) {
        return true;
      }
    }
    return false;
  }

  private int bucket(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & mask;
  }

  private void link(int[] head, int[] next, String key, int p) {
    int b = bucket(key);
    next[p] = head[b];
    head[b] = p;
  }

  private void unlink(int[] head, int[] next, String key, int p) {
    int b = bucket(key);
    if (head[b] == p) {
      head[b] = next[p];
      return;
    }
    for (int q = head[b]; q != NONE; q = next[q]) {
      if (next[q] == p) {
        next[q] = next[p];
        return;
      }
    }
  }
}
