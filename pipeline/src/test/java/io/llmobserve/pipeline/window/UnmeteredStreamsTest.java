package io.llmobserve.pipeline.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.decode.SpanMapper;
import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.detect.WindowKind;
import io.llmobserve.pipeline.detect.WindowSpikeFunction;
import io.llmobserve.pipeline.enrich.CostCalculator;
import io.llmobserve.pipeline.enrich.PricingTable;
import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;
import io.llmobserve.testsupport.CloseAfterEach;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token incident carried only by streams whose responses report no usage (the agent counted their
 * tokens, llm.usage.estimated): the spans' estimated counts flow through decoding, cost, windows
 * and the token_burn detector, which fires; the estimated share is kept apart.
 */
class UnmeteredStreamsTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  static final long T0 = 1_767_225_600_000L;
  static final long MINUTE = 60_000L;

  static KeyValue str(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  static KeyValue num(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  /** A streamed call as the agent exports it when the stream carried no usage. */
  static Span unmeteredStream(long endMillis, long input, long output) {
    ArrayValue estimated =
        ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setStringValue("input"))
            .addValues(AnyValue.newBuilder().setStringValue("output"))
            .build();
    return Span.newBuilder()
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setName("chat gpt-4o")
        .setStartTimeUnixNano((endMillis - 900) * 1_000_000L)
        .setEndTimeUnixNano(endMillis * 1_000_000L)
        .addAttributes(str("gen_ai.provider.name", "openai"))
        .addAttributes(str("gen_ai.operation.name", "chat"))
        .addAttributes(str("gen_ai.request.model", "gpt-4o"))
        .addAttributes(num("gen_ai.usage.input_tokens", input))
        .addAttributes(num("gen_ai.usage.output_tokens", output))
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("llm.usage.estimated")
                .setValue(AnyValue.newBuilder().setArrayValue(estimated)))
        .addAttributes(str("llm.usage.estimate_method", "tokenizer:o200k_base"))
        .build();
  }

  @Test
  void tokenBurnFiresOnAnIncidentCarriedByUnmeteredStreams() throws Exception {
    CostCalculator cost = new CostCalculator(PricingTable.defaults());
    var detector =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, AnomalyEvent>(
                new KeyedProcessOperator<>(
                    new WindowSpikeFunction(WindowKind.TOKEN_BURN, DetectorSettings.defaults())),
                WindowAggregate::seriesKey,
                Types.STRING));
    detector.open();
    Random r = new Random(3);
    List<WindowAggregate> windows = new ArrayList<>();
    for (int m = 0; m < 75; m++) {
      boolean incident = m >= 60 && m < 66; // a runaway loop: prompts 8x longer
      SpanAccumulator acc = new SpanAccumulator();
      for (int i = 0; i < 20; i++) {
        long in = Math.round((incident ? 8 : 1) * 900 * Math.exp(0.1 * r.nextGaussian()));
        LlmSpan s =
            SpanMapper.map(
                unmeteredStream(T0 + m * MINUTE + 1000 + i * 100, in, 150),
                "chat-app",
                new SpanMapper.Skip[1]);
        assertThat(s.inputTokensEstimated && s.outputTokensEstimated).isTrue();
        acc.add(cost.map(s));
      }
      WindowAggregate w = WindowFinisher.toAggregate(acc, T0 + m * MINUTE, T0 + (m + 1) * MINUTE);
      windows.add(w);
      detector.processElement(w, w.windowEnd);
    }
    WindowAggregate first = windows.get(0);
    assertThat(first.estimatedInputTokens).isEqualTo(first.inputTokens).isPositive();
    assertThat(first.estimatedOutputTokens).isEqualTo(first.outputTokens).isEqualTo(20 * 150);
    assertThat(first.estimatedCostUsd).isEqualTo(first.costUsd).isPositive();

    List<AnomalyEvent> transitions =
        detector.extractOutputValues().stream().filter(AnomalyEvent::isTransition).toList();
    assertThat(transitions)
        .extracting(e -> e.kind + ":" + e.transition)
        .containsExactly("token_burn:firing", "token_burn:resolved");
    assertThat(transitions.get(0).windowStart).isBetween(T0 + 60 * MINUTE, T0 + 63 * MINUTE);
  }

  /** Checkpoints taken before estimates were tracked (layout 2) restore, with nothing estimated. */
  @Test
  void layoutTwoCheckpointsRestore() throws Exception {
    SpanAccumulator a = new SpanAccumulator();
    a.add(SpanMapper.map(unmeteredStream(T0, 100, 20), "svc", new SpanMapper.Skip[1]));
    var out = new DataOutputSerializer(256);
    SpanAccumulatorTypeInfo.Layout2Serializer.INSTANCE.serialize(a, out);
    SpanAccumulatorTypeInfo.Snapshot old = new SpanAccumulatorTypeInfo.Snapshot();
    old.readSnapshot(4, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
    SpanAccumulatorTypeInfo.Snapshot current =
        (SpanAccumulatorTypeInfo.Snapshot)
            SpanAccumulatorTypeInfo.Serializer.INSTANCE.snapshotConfiguration();
    assertThat(current.resolveSchemaCompatibility(old).isCompatibleAfterMigration()).isTrue();
    SpanAccumulator back =
        old.restoreSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.inputTokens).isEqualTo(100);
    assertThat(back.estimatedInputTokens).isZero();
    SpanAccumulator now = SpanAccumulatorTypeInfo.Serializer.INSTANCE.copy(a);
    assertThat(now.estimatedInputTokens).isEqualTo(100);
    assertThat(now.estimatedOutputTokens).isEqualTo(20);
  }
}
