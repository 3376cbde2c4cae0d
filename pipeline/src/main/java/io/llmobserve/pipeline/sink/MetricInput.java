package io.llmobserve.pipeline.sink;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.model.WindowAggregate;

/** What the metrics sink consumes: exactly one of the fields is set (a Flink POJO). */
public class MetricInput {
  public WindowAggregate window;
  public AnomalyEvent anomaly;
  public HealthDelta health;
  public RouteCount route;

  public MetricInput() {}

  public static MetricInput of(WindowAggregate w) {
    MetricInput m = new MetricInput();
    m.window = w;
    return m;
  }

  public static MetricInput of(AnomalyEvent a) {
    MetricInput m = new MetricInput();
    m.anomaly = a;
    return m;
  }

  public static MetricInput of(HealthDelta h) {
    MetricInput m = new MetricInput();
    m.health = h;
    return m;
  }

  public static MetricInput of(RouteCount r) {
    MetricInput m = new MetricInput();
    m.route = r;
    return m;
  }
}
