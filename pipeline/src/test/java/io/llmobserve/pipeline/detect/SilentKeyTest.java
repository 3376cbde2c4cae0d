package io.llmobserve.pipeline.detect;

import static io.llmobserve.pipeline.detect.Fixtures.MINUTE;
import static io.llmobserve.pipeline.detect.Fixtures.T0;
import static io.llmobserve.pipeline.detect.Fixtures.harness;
import static io.llmobserve.pipeline.detect.Fixtures.transitions;
import static io.llmobserve.pipeline.detect.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.WindowAggregate;
import io.llmobserve.testsupport.CloseAfterEach;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A key that goes silent with an anomaly open: resolved as stale on event time (issue 14). */
class SilentKeyTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  /** Warm-up, then a spike that opens latency_spike; returns the next free minute. */
  static int openSpike(
      KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, AnomalyEvent> h)
      throws Exception {
    Random r = new Random(1);
    int m = 0;
    for (; m < 60; m++) {
      feed(h, window("svc", m, 20, 0.8 * Math.exp(0.1 * r.nextGaussian())));
    }
    for (int i = 0; i < 5; m++, i++) {
      feed(h, window("svc", m, 20, 4.0));
    }
    assertThat(transitions(h.extractOutputValues()))
        .extracting(e -> e.transition)
        .containsExactly("firing");
    return m;
  }

  static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, AnomalyEvent> h,
      WindowAggregate w)
      throws Exception {
    h.processElement(w, w.windowEnd - 1);
  }

  @Test
  void anOpenAnomalyOfASilentKeyResolvesAsStaleAfterThreeWindowsOfEventTime() throws Exception {
    var h =
        closer.register(
            harness(
                new WindowSpikeFunction(WindowKind.LATENCY_SPIKE, DetectorSettings.defaults()),
                WindowAggregate::seriesKey));
    int m = openSpike(h);
    long lastStart = T0 + (m - 1) * MINUTE;
    h.processWatermark(lastStart + 4 * MINUTE - 1); // not yet
    assertThat(transitions(h.extractOutputValues())).hasSize(1);
    h.processWatermark(lastStart + 4 * MINUTE);
    List<AnomalyEvent> t = transitions(h.extractOutputValues());
    assertThat(t).extracting(e -> e.transition).containsExactly("firing", "resolved");
    AnomalyEvent resolved = t.get(1);
    assertThat(resolved.stale).isTrue();
    assertThat(resolved.active).isFalse();
    assertThat(resolved.service).isEqualTo("svc");
    assertThat(resolved.region).isEqualTo("East US 2");
    assertThat(resolved.detail).startsWith("stale: no judgeable window since");
    assertThat(t.get(0).stale).isFalse();

    // The key comes back: judged against the baseline it kept; no second "resolved".
    for (int i = 0; i < 10; i++, m++) {
      feed(h, window("svc", m + 10, 20, 0.8));
    }
    assertThat(transitions(h.extractOutputValues()))
        .extracting(e -> e.transition)
        .containsExactly("firing", "resolved");
  }

  @Test
  void aKeyThatKeepsSendingIsNeverStale() throws Exception {
    var h =
        closer.register(
            harness(
                new WindowSpikeFunction(WindowKind.LATENCY_SPIKE, DetectorSettings.defaults()),
                WindowAggregate::seriesKey));
    int m = openSpike(h);
    for (int i = 0; i < 6; i++, m++) { // still spiking, window after window
      feed(h, window("svc", m, 20, 4.0));
      h.processWatermark(T0 + (m + 1) * MINUTE - 1);
    }
    assertThat(transitions(h.extractOutputValues()))
        .extracting(e -> e.transition)
        .containsExactly("firing");
    assertThat(h.extractOutputValues()).noneMatch(e -> e.stale);
  }
}
