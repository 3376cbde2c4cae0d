package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;

/** Builds a window's aggregate outside Flink with exactly the job's accumulator and finisher. */
public final class WindowAggregates {
  private WindowAggregates() {}

  public static WindowAggregate of(Iterable<LlmSpan> spans, long start, long end) {
    SpanAccumulator a = new SpanAccumulator();
    for (LlmSpan s : spans) {
      a.add(s);
    }
    return WindowFinisher.toAggregate(a, start, end);
  }
}
