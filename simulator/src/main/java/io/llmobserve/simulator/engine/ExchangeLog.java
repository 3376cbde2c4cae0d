package io.llmobserve.simulator.engine;

import io.llmobserve.simulator.Exchange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Bounded, ordered record of served exchanges (oldest dropped first). */
public final class ExchangeLog {
  private final ArrayDeque<Exchange> entries = new ArrayDeque<>();

  public synchronized void add(Exchange e, int capacity) {
    entries.addLast(e);
    while (entries.size() > Math.max(1, capacity)) {
      entries.removeFirst();
    }
  }

  public synchronized List<Exchange> all() {
    return new ArrayList<>(entries);
  }

  /**
   * Up to {@code limit} most recent exchanges with sequence &gt;= {@code sinceSequence}, oldest
   * first.
   */
  public synchronized List<Exchange> recent(int limit, long sinceSequence) {
    List<Exchange> out = new ArrayList<>();
    var it = entries.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      Exchange e = it.next();
      if (e.sequence() >= sinceSequence) {
        out.add(0, e);
      }
    }
    return out;
  }

  public synchronized void clear() {
    entries.clear();
  }

  public synchronized int size() {
    return entries.size();
  }
}
