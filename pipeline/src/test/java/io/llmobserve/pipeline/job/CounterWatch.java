package io.llmobserve.pipeline.job;

import java.util.HashMap;
import java.util.Map;

/**
 * Test helper: every scrape through it checks that no counter went backwards since the last scrape,
 * across restarts and restores too (Prometheus would read a drop as a reset and over-count). A
 * violation throws IllegalStateException, which Awaitility does not retry.
 */
public final class CounterWatch {
  private final Map<String, Double> last = new HashMap<>();
  private int scrapes;

  public synchronized PromText scrape(int port) throws Exception {
    PromText m = PromText.scrape(port);
    check(m);
    return m;
  }

  public synchronized void check(PromText m) {
    scrapes++;
    m.counters()
        .forEach(
            (series, value) -> {
              if (series.startsWith("llm_pipeline_http_")) {
                return; // the serving HTTP server's own answers: they restart with it, like any
                // process counter
              }
              Double before = last.get(series);
              if (before != null && value < before) {
                throw new IllegalStateException(
                    "counter went backwards at scrape "
                        + scrapes
                        + ": "
                        + series
                        + " "
                        + before
                        + " -> "
                        + value);
              }
              last.put(series, value);
            });
  }

  public synchronized int scrapes() {
    return scrapes;
  }
}
