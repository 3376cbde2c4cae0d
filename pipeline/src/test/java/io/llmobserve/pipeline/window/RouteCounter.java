package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Per-call count per route and window: the reference the partial route counts of {@link
 * WindowPreAggregator} are compared with.
 */
public class RouteCounter implements AggregateFunction<LlmSpan, RouteCount, RouteCount> {
  private static final long serialVersionUID = 1L;

  @Override
  public RouteCount createAccumulator() {
    return new RouteCount();
  }

  @Override
  public RouteCount add(LlmSpan span, RouteCount acc) {
    acc.add(span);
    return acc;
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
