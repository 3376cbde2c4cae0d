package io.llmobserve.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentLlmSpansTest {

  private record Entry(String traceId, long start, long end, String requestId) {}

  @Test
  void findsEnclosedSpansOfTheSameTraceOnly() {
    RecentLlmSpans spans = new RecentLlmSpans(16);
    spans.add("t1", 100, 200, "req-1");
    spans.add("t1", 300, 400, null);
    spans.add("t2", 1000, 2000, "req-2");

    assertThat(spans.enclosesOneOf("t1", 50, 250)).isTrue();
    assertThat(spans.enclosesOneOf("t1", 250, 450)).isTrue(); // the second span of t1
    assertThat(spans.enclosesOneOf("t1", 150, 250)).isFalse(); // starts inside ours
    assertThat(spans.enclosesOneOf("t2", 50, 250)).isFalse(); // another trace's interval
    assertThat(spans.enclosesOneOf("t3", 0, Long.MAX_VALUE)).isFalse();
    assertThat(spans.hasRequestId("req-1")).isTrue();
    assertThat(spans.hasRequestId("req-2")).isTrue();
    assertThat(spans.hasRequestId("req-3")).isFalse();
  }

  /**
   * Against a plain list of the last {@code capacity} spans, through many overwrites: few trace ids
   * and request ids (many entries per key, shared buckets), so unlinking from the middle of a chain
   * is exercised.
   */
  @Test
  void remembersExactlyTheMostRecentSpans() {
    int capacity = 8;
    RecentLlmSpans spans = new RecentLlmSpans(capacity);
    Deque<Entry> model = new ArrayDeque<>();
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      long start = random.nextInt(1_000);
      Entry e =
          new Entry(
              "trace-" + random.nextInt(12),
              start,
              start + 1 + random.nextInt(100),
              random.nextInt(4) == 0 ? null : "req-" + random.nextInt(20));
      spans.add(e.traceId, e.start, e.end, e.requestId);
      model.addLast(e);
      if (model.size() > capacity) {
        model.removeFirst();
      }
      for (int q = 0; q < 12; q++) {
        String trace = "trace-" + q;
        long from = random.nextInt(1_000);
        long to = from + random.nextInt(300);
        boolean expected =
            model.stream().anyMatch(m -> m.traceId.equals(trace) && m.start >= from && m.end <= to);
        assertThat(spans.enclosesOneOf(trace, from, to))
            .as("step %d, %s", i, trace)
            .isEqualTo(expected);
      }
      for (int r = 0; r < 20; r++) {
        String id = "req-" + r;
        boolean expected = model.stream().anyMatch(m -> id.equals(m.requestId));
        assertThat(spans.hasRequestId(id)).as("step %d, %s", i, id).isEqualTo(expected);
      }
    }
  }

  /** Every exported LLM span is added: adding must not allocate (lookups are the rare path). */
  @Test
  void addingAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    RecentLlmSpans spans = new RecentLlmSpans(4096);
    String[] traceIds = new String[64];
    String[] requestIds = new String[64];
    for (int i = 0; i < traceIds.length; i++) {
      traceIds[i] = String.format("%032x", i * 7919L);
      requestIds[i] = "req_" + i;
    }
    // warm-up, past the ring's capacity (overwrites included); it also computes the strings'
    // hashes, which a span's id strings cache after their first use as well
    for (int i = 0; i < 20_000; i++) {
      spans.add(traceIds[i & 63], i, i + 1, requestIds[i & 63]);
    }
    long tid = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 20_000; i++) {
      spans.add(traceIds[i & 63], i, i + 1, requestIds[i & 63]);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertThat(allocated).as("bytes allocated by 20,000 adds").isLessThan(1024);
  }
}
