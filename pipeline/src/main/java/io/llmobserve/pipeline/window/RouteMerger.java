package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.RouteCount;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Merges partial route counts from {@link WindowPreAggregator} (route-windows). */
public class RouteMerger implements AggregateFunction<RouteCount, RouteCount, RouteCount> {
  private static final long serialVersionUID = 1L;

  @Override
  public RouteCount createAccumulator() {
    return new RouteCount();
  }

  @Override
  public RouteCount add(RouteCount partial, RouteCount acc) {
    return acc.merge(partial);
  }

  @Override
  public RouteCount getResult(RouteCount acc) {
    return acc;
  }

  @Override
  public RouteCount merge(RouteCount a, RouteCount b) {
    return a.merge(b);
  }
}
