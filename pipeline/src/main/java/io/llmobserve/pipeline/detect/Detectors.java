package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * Wires every detector into the job: window detectors (latency_spike, ttft_regression, token_burn,
 * error_burst, throttling, cost_spike) over closed windows, event detectors (model_drift,
 * routing_change, residency_violation) over spans. Each is a named, uid'd keyed operator
 * ("detect-latency-spike", ...); their outputs are unioned.
 *
 * <p>The event detectors resolve on event-time timers, so {@code spans} must carry watermarks.
 *
 * <p>The job calls {@link #apply} once.
 */
public final class Detectors {
  private Detectors() {}

  /** Over calls: each event detector's runs are folded from {@code spans} (chained to it). */
  public static DataStream<AnomalyEvent> apply(
      DataStream<WindowAggregate> windows, DataStream<LlmSpan> spans, DetectorSettings settings) {
    // The event detectors take runs of calls folded per subtask before their shuffle, not every
    // call (CallRunCombiner: "<detector>-runs", stateless, chained to the call stream).
    return apply(
        windows,
        kind -> runs(spans, kind.operatorName() + "-runs", CallRunCombiner.change(kind)),
        () -> runs(spans, "detect-residency-violation-runs", CallRunCombiner.residency(settings)),
        settings);
  }

  /**
   * Over runs folded already (the job: {@code fold.CallFolds}, then the label limiter): {@code
   * changeRuns} and {@code residencyRuns} are asked only for the detectors that are on.
   */
  public static DataStream<AnomalyEvent> apply(
      DataStream<WindowAggregate> windows,
      Function<ChangeKind, DataStream<CallRun>> changeRuns,
      Supplier<DataStream<CallRun>> residencyRuns,
      DetectorSettings settings) {
    List<DataStream<AnomalyEvent>> outputs = new ArrayList<>();
    KeySelector<WindowAggregate, String> bySeries = WindowAggregate::seriesKey;
    for (WindowKind kind : WindowKind.values()) {
      if (!settings.enabled(kind)) {
        continue;
      }
      outputs.add(
          windows
              .keyBy(bySeries, Types.STRING)
              .process(new WindowSpikeFunction(kind, settings))
              .name(kind.operatorName())
              .uid(kind.operatorName()));
    }
    KeySelector<CallRun, String> byRunKey = r -> r.key;
    for (ChangeKind kind : ChangeKind.values()) {
      boolean on =
          kind == ChangeKind.MODEL_DRIFT ? settings.driftEnabled() : settings.routingEnabled();
      if (!on) {
        continue;
      }
      outputs.add(
          changeRuns
              .apply(kind)
              .keyBy(byRunKey, Types.STRING)
              .process(new ChangeFunction(kind, settings))
              .name(kind.operatorName())
              .uid(kind.operatorName()));
    }
    if (settings.residencyEnabled()) {
      outputs.add(
          residencyRuns
              .get()
              .keyBy(byRunKey, Types.STRING)
              .process(new ResidencyFunction(settings))
              .name("detect-residency-violation")
              .uid("detect-residency-violation"));
    }
    if (outputs.isEmpty()) {
      return windows
          .flatMap((WindowAggregate w, Collector<AnomalyEvent> out) -> {})
          .returns(AnomalyEvent.class)
          .name("detectors-disabled")
          .uid("detectors-disabled");
    }
    DataStream<AnomalyEvent> all = outputs.get(0);
    if (outputs.size() > 1) {
      @SuppressWarnings("unchecked")
      DataStream<AnomalyEvent>[] rest =
          outputs.subList(1, outputs.size()).toArray(new DataStream[0]);
      all = all.union(rest);
    }
    return all;
  }

  /** The spans folded for one detector, chained to {@code spans} (same parallelism). */
  static DataStream<CallRun> runs(
      DataStream<LlmSpan> spans, String name, CallRunCombiner<CallRun> combiner) {
    return spans.transform(name, TypeInformation.of(CallRun.class), combiner).uid(name);
  }

  static String driftKey(LlmSpan s) {
    return ChangeKind.MODEL_DRIFT.key(s);
  }

  static String routingKey(LlmSpan s) {
    return ChangeKind.ROUTING_CHANGE.key(s);
  }
}
