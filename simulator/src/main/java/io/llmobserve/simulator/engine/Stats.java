package io.llmobserve.simulator.engine;

import io.llmobserve.simulator.Exchange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Running totals per provider (not bounded by the exchange log's capacity). */
public final class Stats {
  private final long startedAtMs = System.currentTimeMillis();
  private final Map<String, ProviderTotals> byProvider = new TreeMap<>();
  private long requests;

  private static final class ProviderTotals {
    long requests;
    long streams;
    long inputTokens;
    long outputTokens;
    final Map<String, Long> byStatus = new TreeMap<>();
  }

  public synchronized void record(Exchange e) {
    requests++;
    ProviderTotals t = byProvider.computeIfAbsent(e.provider(), k -> new ProviderTotals());
    t.requests++;
    if (e.stream()) {
      t.streams++;
    }
    t.inputTokens += e.status() == 200 ? e.inputTokens() : 0;
    t.outputTokens += e.status() == 200 ? e.outputTokens() : 0;
    t.byStatus.merge(String.valueOf(e.status()), 1L, Long::sum);
  }

  public synchronized Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("uptimeMs", System.currentTimeMillis() - startedAtMs);
    out.put("requests", requests);
    Map<String, Object> providers = new LinkedHashMap<>();
    byProvider.forEach(
        (k, t) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("requests", t.requests);
          m.put("streams", t.streams);
          m.put("inputTokens", t.inputTokens);
          m.put("outputTokens", t.outputTokens);
          m.put("byStatus", new LinkedHashMap<>(t.byStatus));
          providers.put(k, m);
        });
    out.put("byProvider", providers);
    return out;
  }

  public synchronized void reset() {
    byProvider.clear();
    requests = 0;
  }
}
