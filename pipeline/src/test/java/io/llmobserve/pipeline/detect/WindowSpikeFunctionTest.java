package io.llmobserve.pipeline.detect;

import static io.llmobserve.pipeline.detect.Fixtures.harness;
import static io.llmobserve.pipeline.detect.Fixtures.transitions;
import static io.llmobserve.pipeline.detect.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.WindowAggregate;
import io.llmobserve.testsupport.CloseAfterEach;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WindowSpikeFunctionTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, AnomalyEvent> open(
      WindowKind kind, DetectorSettings settings) throws Exception {
    return closer.register(
        harness(new WindowSpikeFunction(kind, settings), WindowAggregate::seriesKey));
  }

  private static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, AnomalyEvent> h,
      WindowAggregate w)
      throws Exception {
    h.processElement(w, w.windowEnd);
  }

  @Test
  void latencySpikeFiresAndResolvesWithOneEventPerWindow() throws Exception {
    var h = open(WindowKind.LATENCY_SPIKE, DetectorSettings.defaults());
    Random r = new Random(1);
    int m = 0;
    for (; m < 60; m++) {
      feed(h, window("svc", m, 20, 0.8 * Math.exp(0.1 * r.nextGaussian())));
    }
    for (int i = 0; i < 5; m++, i++) {
      feed(h, window("svc", m, 20, 4.0));
    }
    for (int i = 0; i < 10; m++, i++) {
      feed(h, window("svc", m, 20, 0.8));
    }
    List<AnomalyEvent> out = h.extractOutputValues();
    assertThat(out).hasSize(m).allMatch(e -> e.kind.equals("latency_spike"));
    List<AnomalyEvent> t = transitions(out);
    assertThat(t).extracting(e -> e.transition).containsExactly("firing", "resolved");
    AnomalyEvent firing = t.get(0);
    // An onset: a fourfold p95 over 20 calls is convincing in its first window.
    assertThat(firing.windowStart).isEqualTo(Fixtures.T0 + 60 * Fixtures.MINUTE);
    assertThat(firing.observed).isEqualTo(4.0);
    assertThat(firing.baseline).isBetween(0.7, 0.9);
    assertThat(firing.score).isGreaterThanOrEqualTo(5);
    assertThat(firing.active).isTrue();
    assertThat(firing.service).isEqualTo("svc");
    assertThat(firing.region).isEqualTo("East US 2");
    assertThat(firing.detail).contains("latency p95 4 s").contains("baseline");
    assertThat(out.get(10).detail).startsWith("warming up");
    assertThat(out.get(m - 1).active).isFalse();
  }

  @Test
  void thinWindowsAreSkippedForQuantileKinds() throws Exception {
    var h = open(WindowKind.LATENCY_SPIKE, DetectorSettings.defaults());
    feed(h, window("svc", 0, 2, 0.8)); // p95 of two calls: not judged
    feed(h, window("svc", 1, 5, 0.8));
    assertThat(h.extractOutputValues()).hasSize(1);
  }

  @Test
  void repeatedOrOlderWindowsAreIgnored() throws Exception {
    var h = open(WindowKind.LATENCY_SPIKE, DetectorSettings.defaults());
    feed(h, window("svc", 5, 10, 0.8));
    feed(h, window("svc", 5, 10, 0.8));
    feed(h, window("svc", 4, 10, 0.8));
    feed(h, window("svc", 6, 10, 0.8));
    assertThat(h.extractOutputValues()).hasSize(2);
  }

  @Test
  void ttftOnlyJudgesWindowsWithStreams() throws Exception {
    var h = open(WindowKind.TTFT_REGRESSION, DetectorSettings.defaults());
    WindowAggregate noStreams = window("svc", 0, 20, 1.0);
    feed(h, noStreams);
    WindowAggregate streams = window("svc", 1, 20, 1.0);
    streams.ttftCount = 10;
    streams.ttftP95 = 0.3;
    feed(h, streams);
    List<AnomalyEvent> out = h.extractOutputValues();
    assertThat(out)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind).isEqualTo("ttft_regression");
              assertThat(e.observed).isEqualTo(0.3);
            });
  }

  @Test
  void errorBurstNeedsTheMinimumErrorCount() throws Exception {
    DetectorSettings settings = DetectorSettings.fromMap(Map.of("errors.open.windows", "1"));
    var h = open(WindowKind.ERROR_BURST, settings);
    int m = 0;
    for (; m < 40; m++) {
      feed(h, window("svc", m, 100, 1.0)); // no errors
    }
    // 2 of 4 calls failed: a 50% share, but only 2 errors: cannot open.
    WindowAggregate few = window("svc", m++, 4, 1.0);
    few.errorCalls = 2;
    feed(h, few);
    assertThat(transitions(h.extractOutputValues())).isEmpty();
    WindowAggregate many = window("svc", m++, 20, 1.0);
    many.errorCalls = 8;
    feed(h, many);
    List<AnomalyEvent> t = transitions(h.extractOutputValues());
    assertThat(t)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind).isEqualTo("error_burst");
              assertThat(e.transition).isEqualTo("firing");
              assertThat(e.observed).isEqualTo(0.4);
              assertThat(e.detail).contains("8/20");
            });
  }

  @Test
  void tokenBurnAndCostJudgeTheirOwnValues() throws Exception {
    DetectorSettings settings = DetectorSettings.defaults();
    var tokens = open(WindowKind.TOKEN_BURN, settings);
    var cost = open(WindowKind.COST_SPIKE, settings);
    WindowAggregate w = window("svc", 0, 10, 1.0);
    feed(tokens, w);
    feed(cost, w);
    // Tokens per successful call (1500 tokens over the window's 10 calls).
    assertThat(tokens.extractOutputValues().get(0).observed).isEqualTo(150.0);
    assertThat(cost.extractOutputValues().get(0).observed).isEqualTo(0.01);
  }

  @Test
  void keysAreIndependent() throws Exception {
    var h = open(WindowKind.LATENCY_SPIKE, DetectorSettings.defaults());
    Random r = new Random(2);
    for (int m = 0; m < 60; m++) {
      feed(h, window("a", m, 20, 0.8 * Math.exp(0.1 * r.nextGaussian())));
      feed(h, window("b", m, 20, 0.8 * Math.exp(0.1 * r.nextGaussian())));
    }
    for (int m = 60; m < 65; m++) {
      feed(h, window("a", m, 20, 5.0));
      feed(h, window("b", m, 20, 0.8 * Math.exp(0.1 * r.nextGaussian())));
    }
    assertThat(transitions(h.extractOutputValues()))
        .singleElement()
        .satisfies(e -> assertThat(e.service).isEqualTo("a"));
  }

  @Test
  void stateOfIdleKeysExpires() throws Exception {
    DetectorSettings settings = DetectorSettings.fromMap(Map.of("state.ttl", "1h"));
    var h = open(WindowKind.LATENCY_SPIKE, settings);
    h.setStateTtlProcessingTime(0);
    for (int m = 0; m < 40; m++) {
      feed(h, window("svc", m, 20, 0.8));
    }
    assertThat(h.extractOutputValues().get(39).detail).doesNotStartWith("warming up");
    h.setStateTtlProcessingTime(2 * 3_600_000L);
    feed(h, window("svc", 40, 20, 0.8));
    // The baseline was dropped: the key starts over.
    assertThat(h.extractOutputValues().get(40).detail).startsWith("warming up");
  }
}
