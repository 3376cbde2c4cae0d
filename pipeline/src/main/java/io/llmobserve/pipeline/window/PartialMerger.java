package io.llmobserve.pipeline.window;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * The window operator's side of {@link WindowPreAggregator}: merges partial accumulators (counts
 * add up, t-digests merge). Its accumulator is the same {@link SpanAccumulator} the per-call
 * aggregation kept before, so window state written by either reads back with the other.
 */
public class PartialMerger
    implements AggregateFunction<SpanAccumulator, SpanAccumulator, SpanAccumulator> {
  private static final long serialVersionUID = 1L;

  @Override
  public SpanAccumulator createAccumulator() {
    return new SpanAccumulator();
  }

  @Override
  public SpanAccumulator add(SpanAccumulator partial, SpanAccumulator acc) {
    return acc.merge(partial);
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
