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
    AnomalyEvent e = new AnomalyEvent();
    e.kind = kind;
    e.service = w.service;
    e.provider = w.provider;
    e.model = w.model;
    e.region = w.region;
    e.operation = w.operation;
    e.windowStart = w.windowStart;
    e.windowEnd = w.windowEnd;
    return e;
  }

  static AnomalyEvent of(String kind, SeriesLabels labels, long start, long end) {
    AnomalyEvent e = new AnomalyEvent();
    e.kind = kind;
    e.service = labels.service;
    e.provider = labels.provider;
    e.model = labels.model;
    e.region = labels.region;
    e.operation = labels.operation;
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
