package io.llmobserve.pipeline.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class WindowAggregationTest {
  static LlmSpan span(double duration, String outcome) {
    LlmSpan s = new LlmSpan();
    s.service = "svc";
    s.provider = "openai";
    s.model = "gpt-4o";
    s.region = "East US 2";
    s.operation = "chat";
    s.outcome = outcome;
    s.durationSeconds = duration;
    s.inputTokens = 100;
    s.outputTokens = 10;
    s.cacheReadTokens = -1;
    s.costUsd = 0.001;
    return s;
  }

  @Test
  void quantilesCountsAndMinimaFromOneWindow() {
    SpanAggregator agg = new SpanAggregator();
    SpanAccumulator acc = agg.createAccumulator();
    for (int i = 1; i <= 100; i++) {
      LlmSpan s = span(i / 100.0, i <= 90 ? "ok" : i <= 95 ? "error" : "throttled");
      s.serverProcessingSeconds = s.durationSeconds - 0.05;
      s.remainingTokens = 1000 - i;
      if (i % 10 == 0) {
        s.limitTokens = 2000 + i; // reported on some calls only; the highest wins
      }
      if (i % 2 == 0) {
        s.ttftSeconds = 0.1;
      }
      agg.add(s, acc);
    }
    WindowAggregate w = WindowFinisher.toAggregate(agg.getResult(acc), 0, 10_000);
    assertThat(w.calls).isEqualTo(100);
    assertThat(w.okCalls).isEqualTo(90);
    assertThat(w.errorCalls).isEqualTo(5);
    assertThat(w.throttledCalls).isEqualTo(5);
    assertThat(w.inputTokens).isEqualTo(10_000);
    assertThat(w.cacheReadTokens).isZero(); // -1 = not reported, not negative
    assertThat(w.costUsd).isCloseTo(0.1, offset(1e-9));
    assertThat(w.latencyP50).isCloseTo(0.5, offset(0.02));
    assertThat(w.latencyP99).isCloseTo(0.99, offset(0.02));
    assertThat(w.ttftCount).isEqualTo(50);
    assertThat(w.ttftP95).isCloseTo(0.1, offset(1e-9));
    assertThat(w.overheadP50).isCloseTo(0.05, offset(1e-6));
    assertThat(w.minRemainingTokens).isEqualTo(900);
    assertThat(w.minRemainingRequests).isEqualTo(-1);
    assertThat(w.maxLimitTokens).isEqualTo(2100);
    assertThat(w.region).isEqualTo("East US 2");
  }

  /** Heap state copies the accumulator (serializer round trip) while a checkpoint runs. */
  @Test
  void repeatedCopiesWhileAddingStayCorrect() {
    Random rnd = new Random(3);
    SpanAccumulator a = new SpanAccumulator();
    for (int round = 0; round < 300; round++) {
      for (int i = 0; i < 1 + rnd.nextInt(40); i++) {
        a.add(span(0.2 + rnd.nextDouble(), "ok"));
      }
      a = SpanAccumulatorTypeInfo.Serializer.INSTANCE.copy(a);
    }
    WindowAggregate w = WindowFinisher.toAggregate(a, 0, 1);
    assertThat(w.latencyP50).isCloseTo(0.7, offset(0.05));
    assertThat(w.latencyP99).isBetween(1.1, 1.2);
  }

  @Test
  void emptyDigestsGiveNaN() {
    SpanAccumulator acc = new SpanAccumulator();
    LlmSpan s = span(Double.NaN, "ok");
    acc.add(s);
    WindowAggregate w = WindowFinisher.toAggregate(acc, 0, 1);
    assertThat(w.latencyP50).isNaN();
    assertThat(w.ttftP50).isNaN();
    assertThat(w.calls).isEqualTo(1);
  }

  @Test
  void accumulatorSurvivesItsSerializerAndMerges() throws Exception {
    SpanAccumulator a = new SpanAccumulator();
    for (int i = 0; i < 50; i++) {
      LlmSpan s = span(1 + i, "ok");
      s.remainingTokens = 500 + i;
      s.limitTokens = 10_000 + i;
      a.add(s);
    }
    DataOutputSerializer out = new DataOutputSerializer(256);
    SpanAccumulatorTypeInfo.Serializer.INSTANCE.serialize(a, out);
    SpanAccumulator back =
        SpanAccumulatorTypeInfo.Serializer.INSTANCE.deserialize(
            new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.calls).isEqualTo(50);
    assertThat(back.service).isEqualTo("svc");
    assertThat(back.minRemainingTokens).isEqualTo(500);
    assertThat(back.maxLimitTokens).isEqualTo(10_049);
    assertThat(SpanAccumulator.quantile(back.latency, 0.5))
        .isCloseTo(SpanAccumulator.quantile(a.latency, 0.5), offset(1e-9));

    SpanAccumulator b = new SpanAccumulator();
    LlmSpan big = span(1000, "error");
    big.limitTokens = 20_000;
    b.add(big);
    back.merge(b);
    assertThat(back.calls).isEqualTo(51);
    assertThat(back.maxLimitTokens).isEqualTo(20_000);
    assertThat(back.error).isEqualTo(1);
    assertThat(SpanAccumulator.quantile(back.latency, 1.0)).isEqualTo(1000);
  }

  /** A checkpoint written before maxLimitTokens existed (layout 1) restores and migrates. */
  @Test
  void layoutOneCheckpointsRestoreThroughTheLegacySerializer() throws Exception {
    SpanAccumulator a = new SpanAccumulator();
    for (int i = 0; i < 20; i++) {
      LlmSpan s = span(1 + i, "ok");
      s.remainingTokens = 700;
      s.limitTokens = 9000;
      a.add(s);
    }
    DataOutputSerializer out = new DataOutputSerializer(256);
    SpanAccumulatorTypeInfo.LegacySerializer.INSTANCE.serialize(a, out);
    // Its snapshot as the former SimpleTypeSerializerSnapshot wrote it: version 3, no payload.
    SpanAccumulatorTypeInfo.Snapshot old = new SpanAccumulatorTypeInfo.Snapshot();
    old.readSnapshot(3, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
    SpanAccumulatorTypeInfo.Snapshot current =
        (SpanAccumulatorTypeInfo.Snapshot)
            SpanAccumulatorTypeInfo.Serializer.INSTANCE.snapshotConfiguration();
    assertThat(current.resolveSchemaCompatibility(old).isCompatibleAfterMigration()).isTrue();
    assertThat(current.resolveSchemaCompatibility(current).isCompatibleAsIs()).isTrue();

    SpanAccumulator back =
        old.restoreSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.calls).isEqualTo(20);
    assertThat(back.minRemainingTokens).isEqualTo(700);
    assertThat(back.maxLimitTokens).isEqualTo(-1); // not in layout 1
    assertThat(SpanAccumulator.quantile(back.latency, 0.5))
        .isCloseTo(SpanAccumulator.quantile(a.latency, 0.5), offset(1e-9));

    // The current snapshot round-trips through its version.
    DataOutputSerializer snap = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(snap, current);
    var read =
        TypeSerializerSnapshot.<SpanAccumulator>readVersionedSnapshot(
            new DataInputDeserializer(snap.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(current.resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
  }
}
