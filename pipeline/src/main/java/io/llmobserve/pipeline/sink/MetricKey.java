package io.llmobserve.pipeline.sink;

import java.util.List;

/**
 * One time series: metric name (without _total) and its label names/values, in order. The hash is
 * computed once: the sink looks keys up for every window and copies millions of them into each
 * checkpoint, and a list's hash walks every label.
 */
public final class MetricKey {
  private final String name;
  private final List<String> labelNames;
  private final List<String> labelValues;
  private final int hash;

  public MetricKey(String name, List<String> labelNames, List<String> labelValues) {
    this.name = name;
    this.labelNames = labelNames;
    this.labelValues = labelValues;
    this.hash = (name.hashCode() * 31 + labelNames.hashCode()) * 31 + labelValues.hashCode();
  }

  public static MetricKey of(String name, List<String> labelNames, String... values) {
    String[] v = values.clone();
    for (int i = 0; i < v.length; i++) {
      if (v[i] == null) {
        v[i] = "";
      }
    }
    return new MetricKey(name, labelNames, List.of(v));
  }

  public String name() {
    return name;
  }

  public List<String> labelNames() {
    return labelNames;
  }

  public List<String> labelValues() {
    return labelValues;
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof MetricKey k
            && hash == k.hash
            && name.equals(k.name)
            && labelValues.equals(k.labelValues)
            && labelNames.equals(k.labelNames));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return name + labelNames + labelValues;
  }
}
