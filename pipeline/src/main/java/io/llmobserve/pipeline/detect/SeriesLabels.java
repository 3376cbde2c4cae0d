package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;

/** The label fields of a span, kept in state so timers can emit events for their key. */
public class SeriesLabels {
  public String service;
  public String provider;
  public String model;
  public String region;
  public String operation;

  public SeriesLabels() {}

  static SeriesLabels of(WindowAggregate w) {
    SeriesLabels l = new SeriesLabels();
    l.service = w.service;
    l.provider = w.provider;
    l.model = w.model;
    l.region = w.region;
    l.operation = w.operation;
    return l;
  }

  static SeriesLabels of(LlmSpan s) {
    SeriesLabels l = new SeriesLabels();
    l.service = s.service;
    l.provider = s.provider;
    l.model = s.model;
    l.region = s.region;
    l.operation = s.operation;
    return l;
  }
}
