package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LlmSpan;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gives each call its own event time (span end) while the watermarks keep coming from the source,
 * per Kafka partition (Flink's assignTimestampsAndWatermarks would replace them by one generator
 * per subtask, which turns a lagging partition's spans into late spans).
 */
public class SpanTimestamps extends AbstractStreamOperator<LlmSpan>
    implements OneInputStreamOperator<LlmSpan, LlmSpan> {
  private static final long serialVersionUID = 1L;

  @Override
  public void processElement(StreamRecord<LlmSpan> element) {
    output.collect(element.replace(element.getValue(), element.getValue().eventTimeMillis()));
  }
}
