package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Wires every detector into the job: window detectors (latency_spike, ttft_regression,
 * token_burn, error_burst, throttling, cost_spike) over closed windows, event detectors
 * (model_drift, routing_change, residency_violation) over spans. Each is a named, uid'd keyed
 * operator.
 *
 * <p>CONTRACT: the job calls {@link #apply} once.
 */
public final class Detectors {
  private Detectors() {}

  public static DataStream<AnomalyEvent> apply(
      DataStream<WindowAggregate> windows, DataStream<LlmSpan> spans, DetectorSettings settings) {
    // TODO detectors engineer: placeholder emits nothing.
    return windows
        .flatMap(
            (WindowAggregate w, org.apache.flink.util.Collector<AnomalyEvent> out) -> {})
        .returns(AnomalyEvent.class)
        .name("detectors-placeholder")
        .uid("detectors-placeholder");
  }
}
