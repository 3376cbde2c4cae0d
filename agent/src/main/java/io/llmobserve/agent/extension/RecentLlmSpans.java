package io.llmobserve.agent.extension;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time intervals of our recently exported LLM spans, per trace, bounded (least recently used traces
 * are dropped): lets the exporter tell whether another library's gen_ai span wraps a call we
 * observed.
 */
final class RecentLlmSpans {
  private static final int MAX_INTERVALS_PER_TRACE = 64;

  private final Map<String, long[]> byTrace;

  RecentLlmSpans(int maxTraces) {
    this.byTrace =
        new LinkedHashMap<String, long[]>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > maxTraces;
          }
        };
  }

  synchronized void add(String traceId, long startNanos, long endNanos) {
    long[] intervals = byTrace.get(traceId);
    if (intervals == null) {
      intervals = new long[0];
    }
    if (intervals.length >= 2 * MAX_INTERVALS_PER_TRACE) {
      return;
    }
    intervals = Arrays.copyOf(intervals, intervals.length + 2);
    intervals[intervals.length - 2] = startNanos;
    intervals[intervals.length - 1] = endNanos;
    byTrace.put(traceId, intervals);
  }

  /** True when one of our spans of this trace lies within [start, end]. */
  synchronized boolean enclosesOneOf(String traceId, long startNanos, long endNanos) {
    long[] intervals = byTrace.get(traceId);
    if (intervals == null) {
      return false;
    }
    for (int i = 0; i < intervals.length; i += 2) {
      if (intervals[i] >= startNanos && intervals[i + 1] <= endNanos) {
        return true;
      }
    }
    return false;
  }
}
