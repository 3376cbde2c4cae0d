package io.llmobserve.pipeline.sink;

import java.util.List;

/** One time series: metric name (without _total) and its label names/values, in order. */
public record MetricKey(String name, List<String> labelNames, List<String> labelValues) {
  public static MetricKey of(String name, List<String> labelNames, String... values) {
    String[] v = values.clone();
    for (int i = 0; i < v.length; i++) {
      if (v[i] == null) {
        v[i] = "";
      }
    }
    return new MetricKey(name, labelNames, List.of(v));
  }
}
