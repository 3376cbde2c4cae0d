package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LlmSpan;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Per-call window aggregation, each span folded into the window's accumulator on arrival: what the
 * job did before {@link WindowPreAggregator}, kept as the reference the partial path is compared
 * with.
 */
public class SpanAggregator
    implements AggregateFunction<LlmSpan, SpanAccumulator, SpanAccumulator> {
  private static final long serialVersionUID = 1L;

  @Override
  public SpanAccumulator createAccumulator() {
    return new SpanAccumulator();
  }

  @Override
  public SpanAccumulator add(LlmSpan span, SpanAccumulator acc) {
    acc.add(span);
    return acc;
  }

  @Override
  public SpanAccumulator getResult(SpanAccumulator acc) {
    return acc;
  }

  @Override
  public SpanAccumulator merge(SpanAccumulator a, SpanAccumulator b) {
    return a.merge(b);
  }
}
