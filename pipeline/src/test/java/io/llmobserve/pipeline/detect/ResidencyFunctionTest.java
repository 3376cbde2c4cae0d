package io.llmobserve.pipeline.detect;

import static io.llmobserve.pipeline.detect.Fixtures.MINUTE;
import static io.llmobserve.pipeline.detect.Fixtures.T0;
import static io.llmobserve.pipeline.detect.Fixtures.harness;
import static io.llmobserve.pipeline.detect.Fixtures.span;
import static io.llmobserve.pipeline.detect.Fixtures.transitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.testsupport.CloseAfterEach;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResidencyFunctionTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private static final DetectorSettings SETTINGS =
      DetectorSettings.fromMap(
          Map.of("residency.allowed.openai", "East US 2,Sweden Central", "residency.quiet", "5m"));

  private KeyedOneInputStreamOperatorTestHarness<String, CallRun, AnomalyEvent> open()
      throws Exception {
    return closer.register(harness(new ResidencyFunction(SETTINGS), r -> r.key));
  }

  /** One call, as a run of one (what the detector took per call before runs). */
  private static CallRun run(LlmSpan s) {
    return CallRun.of(ResidencyFunction.key(s), s, null, null);
  }

  private static LlmSpan in(String region, long t) {
    LlmSpan s = span("svc", t);
    s.region = region;
    return s;
  }

  @Test
  void violationFiresWhileItLastsAndResolvesAfterQuietPeriod() throws Exception {
    var h = open();
    long t = T0;
    for (int i = 0; i < 10; i++, t += 30_000) {
      LlmSpan s = in("West US", t);
      h.processElement(run(s), t);
      h.processWatermark(t - 1);
    }
    List<AnomalyEvent> t1 = transitions(h.extractOutputValues());
    assertThat(t1)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind).isEqualTo("residency_violation");
              assertThat(e.transition).isEqualTo("firing");
              assertThat(e.region).isEqualTo("West US");
              assertThat(e.detail).contains("served from West US").contains("east us 2");
            });
    // Still violating 4.5 minutes after the first: no resolution yet.
    h.processWatermark(t + 4 * MINUTE);
    assertThat(transitions(h.extractOutputValues())).hasSize(1);
    h.processWatermark(t + 6 * MINUTE);
    List<AnomalyEvent> t2 = transitions(h.extractOutputValues());
    assertThat(t2).extracting(e -> e.transition).containsExactly("firing", "resolved");
    assertThat(t2.get(1).observed).isEqualTo(10.0);
    assertThat(t2.get(1).active).isFalse();
  }

  @Test
  void allowedRegionsUnknownRegionsAndUnconfiguredProvidersNeverFire() throws Exception {
    var h = open();
    long t = T0;
    h.processElement(run(in("east us 2", t)), t); // case-insensitive match
    h.processElement(run(in("Sweden Central", t)), t);
    h.processElement(run(in("unknown", t)), t);
    LlmSpan other = in("Mars", t);
    other.provider = "anthropic"; // no allowed list configured: not judged
    h.processElement(run(other), t);
    List<AnomalyEvent> out = h.extractOutputValues();
    assertThat(out).hasSize(2).noneMatch(e -> e.active);
  }

  @Test
  void offByDefault() {
    assertThat(DetectorSettings.defaults().residencyEnabled()).isFalse();
  }
}
