package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.InFlightSample;
import io.llmobserve.pipeline.model.LlmSpan;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Wires the stall detector: in-flight samples and completed calls, keyed alike ("detect-stall").
 */
public final class StallDetector {
  private StallDetector() {}

  /**
   * @return the stall verdicts, or null when the detector is off
   */
  public static DataStream<AnomalyEvent> apply(
      DataStream<InFlightSample> samples, DataStream<LlmSpan> calls, StallSettings settings) {
    if (!settings.enabled) {
      return null;
    }
    // completions folded per key before the shuffle, not every call (CallRunCombiner)
    DataStream<CompletionBatch> completions =
        calls
            .transform(
                "detect-stall-completions",
                TypeInformation.of(CompletionBatch.class),
                CallRunCombiner.stall())
            .uid("detect-stall-completions");
    return applyToBatches(samples, completions, settings);
  }

  /**
   * Over completion batches folded already (the job: {@code fold.CallFolds}, then the label
   * limiter).
   *
   * @return the stall verdicts, or null when the detector is off
   */
  public static DataStream<AnomalyEvent> applyToBatches(
      DataStream<InFlightSample> samples,
      DataStream<CompletionBatch> completions,
      StallSettings settings) {
    if (!settings.enabled) {
      return null;
    }
    KeySelector<InFlightSample, String> sampleKey = InFlightSample::stallKey;
    KeySelector<CompletionBatch, String> callKey = b -> b.key;
    return samples
        .connect(completions)
        .keyBy(sampleKey, callKey, Types.STRING)
        .process(new StallFunction(settings))
        .name("detect-stall")
        .uid("detect-stall");
  }
}
