package io.llmobserve.pipeline.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The local window combine: partials merged by the window operator give the windows per-call
 * aggregation gives, partials go out before the watermark that closes their window, and nothing is
 * lost or counted twice across a checkpoint and restore.
 */
class WindowPreAggregatorTest {
  private static final Duration WINDOW = Duration.ofSeconds(1);

  static LlmSpan span(Random rnd, int series) {
    LlmSpan s =
        WindowAggregationTest.span(0.1 + rnd.nextDouble(), rnd.nextInt(10) == 0 ? "error" : "ok");
    s.service = "svc-" + series;
    s.model = series % 2 == 0 ? "gpt-4o" : "claude";
    s.hostingProvider = series % 3 == 0 ? "azure" : null;
    s.inputTokens = rnd.nextInt(1000);
    s.outputTokens = rnd.nextInt(100);
    s.costUsd = rnd.nextDouble() / 100;
    if (rnd.nextBoolean()) {
      s.ttftSeconds = rnd.nextDouble();
    }
    s.remainingTokens = rnd.nextInt(5000);
    return s;
  }

  /** Keyed window operator over {@code in} (per call, or partials), as the job builds it. */
  static <T> KeyedOneInputStreamOperatorTestHarness<String, T, WindowAggregate> windows(
      Class<T> in,
      KeySelector<T, String> key,
      AggregateFunction<T, SpanAccumulator, SpanAccumulator> agg)
      throws Exception {
    TumblingEventTimeWindows assigner = TumblingEventTimeWindows.of(WINDOW);
    WindowOperatorBuilder<T, String, TimeWindow> b =
        new WindowOperatorBuilder<>(
            assigner,
            assigner.getDefaultTrigger(),
            new ExecutionConfig(),
            TypeInformation.of(in),
            key,
            Types.STRING);
    OneInputStreamOperator<T, WindowAggregate> op =
        b.aggregate(agg, new WindowFinisher(), TypeInformation.of(SpanAccumulator.class));
    var h = new KeyedOneInputStreamOperatorTestHarness<>(op, key, Types.STRING);
    return h;
  }

  static OneInputStreamOperatorTestHarness<LlmSpan, SpanAccumulator> combiner() throws Exception {
    return new OneInputStreamOperatorTestHarness<>(new WindowPreAggregator(WINDOW));
  }

  /** Moves the combiner's output (partials, watermarks) into the window operator, in order. */
  static void forward(
      OneInputStreamOperatorTestHarness<LlmSpan, SpanAccumulator> from,
      KeyedOneInputStreamOperatorTestHarness<String, SpanAccumulator, WindowAggregate> to)
      throws Exception {
    Object o;
    while ((o = from.getOutput().poll()) != null) {
      if (o instanceof StreamRecord<?> r) {
        @SuppressWarnings("unchecked")
        StreamRecord<SpanAccumulator> p = (StreamRecord<SpanAccumulator>) r;
        to.processElement(p);
      } else if (o instanceof Watermark w) {
        to.processWatermark(w);
      }
    }
  }

  static Map<String, WindowAggregate> byWindowAndSeries(List<WindowAggregate> ws) {
    Map<String, WindowAggregate> m = new TreeMap<>();
    for (WindowAggregate w : ws) {
      m.put(w.windowStart + "/" + w.service + "/" + w.model, w);
    }
    return m;
  }

  @Test
  void partialsGiveTheWindowsOfPerCallAggregationAcrossACheckpointAndRestore() throws Exception {
    Random rnd = new Random(7);
    var perCall = windows(LlmSpan.class, LlmSpan::seriesKey, new SpanAggregator());
    var combine = combiner();
    var merged = windows(SpanAccumulator.class, SpanAccumulator::seriesKey, new PartialMerger());
    perCall.open();
    combine.open();
    merged.open();
    List<WindowAggregate> mergedOut = new ArrayList<>();
    long calls = 0;
    long t = 10_000;
    for (int step = 0; step < 4_000; step++) {
      t += rnd.nextInt(4); // ~8 windows of 1 s, 4 series, up to ~200 calls per series and window
      long ts = t - rnd.nextInt(300); // out of order within the watermark delay
      LlmSpan s = span(rnd, rnd.nextInt(4));
      perCall.processElement(new StreamRecord<>(s.copy(), ts));
      combine.processElement(new StreamRecord<>(s, ts));
      calls++;
      if (step % 97 == 0) {
        Watermark w = new Watermark(t - 300);
        perCall.processWatermark(w);
        combine.processWatermark(w);
      }
      if (step == 2_000) { // checkpoint of combiner and windows together, then both restored
        combine.prepareSnapshotPreBarrier(1);
        forward(combine, merged);
        OperatorSubtaskState c = combine.snapshot(1, t);
        OperatorSubtaskState m = merged.snapshot(1, t);
        mergedOut.addAll(merged.extractOutputValues());
        combine.close();
        merged.close();
        combine = combiner();
        combine.initializeState(c);
        combine.open();
        merged = windows(SpanAccumulator.class, SpanAccumulator::seriesKey, new PartialMerger());
        merged.initializeState(m);
        merged.open();
      }
      forward(combine, merged);
    }
    perCall.processWatermark(new Watermark(Long.MAX_VALUE));
    combine.processWatermark(new Watermark(Long.MAX_VALUE));
    forward(combine, merged);
    mergedOut.addAll(merged.extractOutputValues());

    Map<String, WindowAggregate> expected = byWindowAndSeries(perCall.extractOutputValues());
    Map<String, WindowAggregate> actual = byWindowAndSeries(mergedOut);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    assertThat(mergedOut).hasSameSizeAs(expected.values()); // one firing per window and series
    assertThat(mergedOut.stream().mapToLong(w -> w.calls).sum()).isEqualTo(calls);
    for (var e : expected.entrySet()) {
      WindowAggregate x = e.getValue();
      WindowAggregate y = actual.get(e.getKey());
      assertThat(y.calls).isEqualTo(x.calls);
      assertThat(y.okCalls).isEqualTo(x.okCalls);
      assertThat(y.errorCalls).isEqualTo(x.errorCalls);
      assertThat(y.inputTokens).isEqualTo(x.inputTokens);
      assertThat(y.outputTokens).isEqualTo(x.outputTokens);
      assertThat(y.costUsd).isCloseTo(x.costUsd, offset(1e-9));
      assertThat(y.minRemainingTokens).isEqualTo(x.minRemainingTokens);
      assertThat(y.ttftCount).isEqualTo(x.ttftCount);
      // Sketches merged instead of filled call by call: the same quantiles within t-digest's error
      // (latencies here are uniform over 0.1-1.1 s).
      assertThat(y.latencyP50).isCloseTo(x.latencyP50, offset(0.03));
      assertThat(y.latencyP95).isCloseTo(x.latencyP95, offset(0.03));
      assertThat(y.latencyP95Lower).isCloseTo(x.latencyP95Lower, offset(0.03));
      assertThat(y.ttftP95).isCloseTo(x.ttftP95, offset(0.03));
    }
  }

  @Test
  void partialsLeaveBeforeTheirWatermarkAndLateCallsAtOnce() throws Exception {
    Random rnd = new Random(1);
    try (var h = combiner()) {
      h.open();
      LlmSpan a = span(rnd, 0);
      a.hostingProvider = "azure";
      a.edgePop = "AMS";
      h.processElement(new StreamRecord<>(a, 100));
      h.processElement(new StreamRecord<>(span(rnd, 0), 900));
      h.processElement(new StreamRecord<>(span(rnd, 1), 500));
      h.processElement(new StreamRecord<>(span(rnd, 0), 1_200)); // next window
      assertThat(h.getOutput()).isEmpty();

      h.processWatermark(new Watermark(999)); // closes [0, 1000)
      List<Object> out = new ArrayList<>(h.getOutput());
      assertThat(out).hasSize(3);
      assertThat(out.get(2)).isEqualTo(new Watermark(999));
      List<SpanAccumulator> first = new ArrayList<>(h.extractOutputValues());
      first.sort(Comparator.comparing(SpanAccumulator::seriesKey));
      assertThat(first).extracting(SpanAccumulator::calls).containsExactly(2L, 1L);
      assertThat(h.getOutput())
          .filteredOn(StreamRecord.class::isInstance)
          .extracting(o -> ((StreamRecord<?>) o).getTimestamp())
          .containsOnly(999L); // the window's last timestamp: same window downstream
      assertThat(h.getSideOutput(WindowPreAggregator.ROUTE_PARTIALS))
          .extracting(r -> r.getValue().routeKey() + "=" + r.getValue().calls)
          .containsExactlyInAnyOrder(
              "svc-0|openai|azure|East US 2|AMS=1",
              "svc-0|openai|azure|East US 2|unknown=1",
              "svc-1|openai|unknown|East US 2|unknown=1");

      h.getOutput().clear();
      h.processElement(new StreamRecord<>(span(rnd, 2), 300)); // late: its window is closed
      assertThat(h.extractOutputValues())
          .singleElement()
          .satisfies(p -> assertThat(p.calls()).isEqualTo(1));

      h.getOutput().clear();
      h.prepareSnapshotPreBarrier(1); // the open window [1000, 2000) goes out before the barrier
      assertThat(h.extractOutputValues())
          .singleElement()
          .satisfies(p -> assertThat(p.seriesKey()).startsWith("svc-0|"));
      assertThat(h.snapshot(1, 0).getManagedOperatorState()).isEmpty(); // nothing held
    }
  }

  @Test
  void routePartialsMergeToThePerCallRouteCounts() throws Exception {
    Random rnd = new Random(5);
    RouteCounter perCall = new RouteCounter();
    Map<String, RouteCount> expected = new TreeMap<>();
    try (var h = combiner()) {
      h.open();
      for (int i = 0; i < 500; i++) {
        LlmSpan s = span(rnd, rnd.nextInt(6));
        perCall.add(s, expected.computeIfAbsent(RouteCount.key(s), k -> new RouteCount()));
        h.processElement(new StreamRecord<>(s, rnd.nextInt(3_000)));
        if (i == 250) {
          h.prepareSnapshotPreBarrier(1);
        }
      }
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      RouteMerger merger = new RouteMerger();
      Map<String, RouteCount> merged = new TreeMap<>();
      for (StreamRecord<RouteCount> r : h.getSideOutput(WindowPreAggregator.ROUTE_PARTIALS)) {
        merger.add(
            r.getValue(), merged.computeIfAbsent(r.getValue().routeKey(), k -> new RouteCount()));
      }
      assertThat(merged.keySet()).isEqualTo(expected.keySet());
      expected.forEach((k, v) -> assertThat(merged.get(k).calls).as(k).isEqualTo(v.calls));
    }
  }
}
