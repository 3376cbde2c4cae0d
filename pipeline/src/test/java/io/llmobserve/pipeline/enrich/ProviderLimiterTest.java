package io.llmobserve.pipeline.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.testsupport.CloseAfterEach;
import java.time.Duration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProviderLimiterTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private static LlmSpan span(String provider, long endMillis) {
    LlmSpan s = new LlmSpan();
    s.provider = provider;
    s.endEpochNanos = endMillis * 1_000_000L;
    return s;
  }

  private ProviderLimiter fn;

  private OneInputStreamOperatorTestHarness<LlmSpan, LlmSpan> harness() throws Exception {
    fn = new ProviderLimiter(3, Duration.ofMinutes(10));
    return closer.register(new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(fn)));
  }

  @Test
  void aHundredThousandProvidersFoldIntoOtherAndStateStaysAtTheBound() throws Exception {
    var h = harness();
    h.open();
    long t = 1_000_000;
    h.processElement(new StreamRecord<>(span("openai", t)));
    for (int i = 0; i < 2_000; i++) {
      h.processElement(new StreamRecord<>(span("p" + i, t)));
    }
    h.processElement(new StreamRecord<>(span("openai", t)));
    var out = h.extractOutputValues();
    assertThat(out)
        .extracting(s -> s.provider)
        .filteredOn(p -> !p.equals("other"))
        .containsExactly("openai", "p0", "p1", "openai");
    assertThat(out.stream().filter(s -> s.provider.equals("other"))).hasSize(1_998);
    // 100,000 more straight through the function: all "other", the state stays at the bound.
    for (int i = 0; i < 100_000; i++) {
      assertThat(fn.admit("q" + i, t)).isEqualTo("other");
    }
    assertThat(fn.size()).isEqualTo(3);
    // Checkpointed and restored: the same providers keep their slots.
    OperatorSubtaskState snap = h.snapshot(1, 1);
    h.close();
    var r = harness();
    r.initializeState(snap);
    r.open();
    r.processElement(new StreamRecord<>(span("p1", t)));
    r.processElement(new StreamRecord<>(span("new", t)));
    assertThat(r.extractOutputValues()).extracting(s -> s.provider).containsExactly("p1", "other");
  }

  @Test
  void aProviderUnseenForTheTtlFreesItsSlot() throws Exception {
    var h = harness();
    h.open();
    h.processElement(new StreamRecord<>(span("a", 0)));
    h.processElement(new StreamRecord<>(span("b", 0)));
    h.processElement(new StreamRecord<>(span("c", 60_000)));
    h.processElement(new StreamRecord<>(span("d", 60_000))); // full: other
    h.processElement(new StreamRecord<>(span("d", 11 * 60_000))); // a and b expired
    assertThat(h.extractOutputValues())
        .extracting(s -> s.provider)
        .containsExactly("a", "b", "c", "other", "d");
  }
}
