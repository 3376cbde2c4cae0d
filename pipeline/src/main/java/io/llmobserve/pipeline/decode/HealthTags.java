package io.llmobserve.pipeline.decode;

import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.window.SpanAccumulator;
import org.apache.flink.util.OutputTag;

/** Side outputs shared by the job's steps. */
public final class HealthTags {
  private HealthTags() {}

  public static final OutputTag<HealthDelta> HEALTH = new OutputTag<>("health") {};
  public static final OutputTag<LlmSpan> LATE_SPANS = new OutputTag<>("late-spans") {};

  /** Late calls as the windows see them: partials of the window pre-aggregation. */
  public static final OutputTag<SpanAccumulator> LATE_PARTIALS =
      new OutputTag<>("late-partials") {};
}
