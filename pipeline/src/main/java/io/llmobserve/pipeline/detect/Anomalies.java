package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.util.Locale;

/** Builds {@link AnomalyEvent}s with the key labels of what was judged. */
final class Anomalies {
  private Anomalies() {}

  static final String FIRING = "firing";
  static final String RESOLVED = "resolved";

  static AnomalyEvent of(String kind, WindowAggregate w) {
    return of(
        kind, w.service, w.provider, w.model, w.region, w.operation, w.windowStart, w.windowEnd);
  }

  static AnomalyEvent of(String kind, SeriesLabels labels, long start, long end) {
    return of(
        kind,
        labels.service,
        labels.provider,
        labels.model,
        labels.region,
        labels.operation,
        start,
        end);
  }

  private static AnomalyEvent of(
      String kind,
      String service,
      String provider,
      String model,
      String region,
      String operation,
      long start,
      long end) {
    AnomalyEvent e = new AnomalyEvent();
    e.kind = kind;
    e.service = service;
    e.provider = provider;
    e.model = model;
    e.region = region;
    e.operation = operation;
    e.windowStart = start;
    e.windowEnd = end;
    return e;
  }

  static String transition(Verdict v) {
    return v.opened() ? FIRING : v.resolved() ? RESOLVED : null;
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 0.01 || a >= 1e6)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
  }
}
