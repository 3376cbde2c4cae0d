package io.llmobserve.pipeline.detect;

import static io.llmobserve.pipeline.detect.Fixtures.MINUTE;
import static io.llmobserve.pipeline.detect.Fixtures.T0;
import static io.llmobserve.pipeline.detect.Fixtures.span;
import static io.llmobserve.pipeline.detect.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DetectorsMiniClusterTest {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final DetectorSettings SETTINGS =
      DetectorSettings.fromMap(
          Map.of(
              "residency.allowed.openai", "East US 2",
              "residency.quiet", "5m",
              "drift.min.observations", "5"));

  @Test
  void spikingKeyAlertsQuietKeyDoesNotAndEventDetectorsResolveAtEndOfInput() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);

    Random r = new Random(7);
    List<WindowAggregate> windows = new ArrayList<>();
    for (int m = 0; m < 90; m++) {
      boolean spike = m >= 60 && m < 66;
      windows.add(window("spiky", m, 20, (spike ? 5 : 1) * 0.8 * Math.exp(0.1 * r.nextGaussian())));
      windows.add(window("quiet", m, 20, 0.8 * Math.exp(0.1 * r.nextGaussian())));
    }
    List<LlmSpan> spans = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      LlmSpan s = span("spiky", T0 + i * MINUTE);
      if (i >= 20) {
        s.responseModel = "gpt-4o-2024-11-20";
      }
      spans.add(s);
      LlmSpan q = span("quiet", T0 + i * MINUTE);
      if (i == 25) {
        q.region = "West US"; // one call outside the allowed region
      }
      spans.add(q);
    }

    DataStream<WindowAggregate> w =
        env.fromData(windows)
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<WindowAggregate>forMonotonousTimestamps()
                    .withTimestampAssigner((a, ts) -> a.windowEnd));
    DataStream<LlmSpan> s =
        env.fromData(spans)
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<LlmSpan>forMonotonousTimestamps()
                    .withTimestampAssigner((a, ts) -> a.eventTimeMillis()));
    DataStream<AnomalyEvent> anomalies = Detectors.apply(w, s, SETTINGS);

    List<String> operators =
        env.getStreamGraph(false).getStreamNodes().stream()
            .map(StreamNode::getOperatorName)
            .collect(Collectors.toList());
    assertThat(operators)
        .contains(
            "detect-latency-spike",
            "detect-ttft-regression",
            "detect-token-burn",
            "detect-error-burst",
            "detect-throttling",
            "detect-cost-spike",
            "detect-model-drift",
            "detect-routing-change",
            "detect-residency-violation");

    List<AnomalyEvent> out = new ArrayList<>();
    try (CloseableIterator<AnomalyEvent> it = anomalies.executeAndCollect("detectors-test")) {
      it.forEachRemaining(out::add);
    }

    List<AnomalyEvent> transitions =
        out.stream().filter(AnomalyEvent::isTransition).collect(Collectors.toList());
    List<String> summary =
        transitions.stream()
            .map(e -> e.kind + ":" + e.service + ":" + e.transition)
            .sorted()
            .collect(Collectors.toList());
    assertThat(summary)
        .containsExactly(
            "latency_spike:spiky:firing",
            "latency_spike:spiky:resolved",
            "model_drift:spiky:firing",
            "model_drift:spiky:resolved",
            "residency_violation:quiet:firing",
            "residency_violation:quiet:resolved",
            // the West US call also moved quiet's routing away from its established region
            "routing_change:quiet:firing",
            "routing_change:quiet:resolved");
    // Every window judged by latency_spike produced an event (gauges stay fresh).
    assertThat(out.stream().filter(e -> e.kind.equals("latency_spike")).count()).isEqualTo(180);
    assertThat(out)
        .filteredOn(e -> e.service.equals("quiet") && e.kind.endsWith("spike"))
        .allMatch(e -> !e.active);
  }
}
