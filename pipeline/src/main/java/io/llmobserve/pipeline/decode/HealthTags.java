package io.llmobserve.pipeline.decode;

import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.LlmSpan;
import org.apache.flink.util.OutputTag;

/** Side outputs shared by the job's steps. */
public final class HealthTags {
  private HealthTags() {}

  public static final OutputTag<HealthDelta> HEALTH = new OutputTag<>("health") {};
  public static final OutputTag<LlmSpan> LATE_SPANS = new OutputTag<>("late-spans") {};
}
