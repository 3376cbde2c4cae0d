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

class ChangeFunctionTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private static final DetectorSettings SETTINGS =
      DetectorSettings.fromMap(
          Map.of(
              "drift.min.observations", "5",
              "drift.stable", "10m",
              "routing.min.observations", "5",
              "routing.stable", "10m"));

  /** The detector of the test (one per test). */
  private ChangeKind kind;

  private KeyedOneInputStreamOperatorTestHarness<String, CallRun, AnomalyEvent> open(
      ChangeKind kind) throws Exception {
    this.kind = kind;
    return closer.register(harness(new ChangeFunction(kind, SETTINGS), r -> r.key));
  }

  /** One call, as a run of one (what the detector took per call before runs). */
  private void feed(
      KeyedOneInputStreamOperatorTestHarness<String, CallRun, AnomalyEvent> h, LlmSpan s)
      throws Exception {
    if (ChangeFunction.watched(s)) { // the combiner drops the others before the shuffle
      h.processElement(
          CallRun.of(kind.key(s), s, kind.first(s), kind.second(s)), s.eventTimeMillis());
    }
  }

  @Test
  void modelDriftFiresOnceAndResolvesOnceTheNewVersionIsStable() throws Exception {
    var h = open(ChangeKind.MODEL_DRIFT);
    long t = T0;
    for (int i = 0; i < 10; i++, t += 10_000) {
      feed(h, span("svc", t));
    }
    for (int i = 0; i < 20; i++, t += 10_000) {
      LlmSpan s = span("svc", t);
      s.responseModel = "gpt-4o-2024-11-20";
      s.model = s.responseModel;
      feed(h, s);
    }
    List<AnomalyEvent> t1 = transitions(h.extractOutputValues());
    assertThat(t1)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind).isEqualTo("model_drift");
              assertThat(e.transition).isEqualTo("firing");
              assertThat(e.active).isTrue();
              assertThat(e.detail)
                  .isEqualTo("response model gpt-4o-2024-08-06 -> gpt-4o-2024-11-20");
            });
    assertThat(h.numEventTimeTimers()).isPositive();
    h.processWatermark(t + 10 * MINUTE);
    List<AnomalyEvent> t2 = transitions(h.extractOutputValues());
    assertThat(t2).extracting(e -> e.transition).containsExactly("firing", "resolved");
    assertThat(t2.get(1).active).isFalse();
    // The new version is the baseline now: more of it changes nothing.
    int before = transitions(h.extractOutputValues()).size();
    t += 11 * MINUTE;
    LlmSpan again = span("svc", t);
    again.responseModel = "gpt-4o-2024-11-20";
    feed(h, again);
    assertThat(transitions(h.extractOutputValues())).hasSize(before);
  }

  @Test
  void fingerprintChangeIsDriftToo() throws Exception {
    var h = open(ChangeKind.MODEL_DRIFT);
    long t = T0;
    for (int i = 0; i < 10; i++, t += 1000) {
      feed(h, span("svc", t));
    }
    LlmSpan s = span("svc", t);
    s.systemFingerprint = "fp_bbb";
    feed(h, s);
    assertThat(transitions(h.extractOutputValues()))
        .singleElement()
        .satisfies(e -> assertThat(e.detail).isEqualTo("system fingerprint fp_aaa -> fp_bbb"));
  }

  @Test
  void routingChangeDetectsRegionMoveButNotBeforeEstablished() throws Exception {
    var h = open(ChangeKind.ROUTING_CHANGE);
    long t = T0;
    // Alternating at first: nothing established, nothing fires.
    for (int i = 0; i < 6; i++, t += 1000) {
      LlmSpan s = span("svc", t);
      s.region = i % 2 == 0 ? "East US 2" : "Sweden Central";
      feed(h, s);
    }
    assertThat(transitions(h.extractOutputValues())).isEmpty();
    for (int i = 0; i < 10; i++, t += 1000) {
      feed(h, span("svc", t));
    }
    LlmSpan moved = span("svc", t);
    moved.region = "West Europe";
    moved.hostingProvider = "azure";
    feed(h, moved);
    assertThat(transitions(h.extractOutputValues()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind).isEqualTo("routing_change");
              assertThat(e.detail).isEqualTo("region East US 2 -> West Europe");
              assertThat(e.region).isEqualTo("West Europe");
            });
  }

  @Test
  void twoDeploymentsInTwoRegionsAreTwoStableRoutesNotAChange() throws Exception {
    var h = open(ChangeKind.ROUTING_CHANGE);
    long t = T0;
    // Azure: the app asks for two deployments; both serve the same model version.
    // First only the East US 2 deployment is used (its route gets established), then both.
    for (int i = 0; i < 60; i++, t += 1000) {
      LlmSpan s = span("svc", t);
      s.provider = "azure.ai.openai";
      boolean east = i < 30 || i % 2 == 0;
      s.requestModel = east ? "gpt-4o-eastus2" : "gpt-4o-swedencentral";
      s.region = east ? "East US 2" : "Sweden Central";
      feed(h, s);
    }
    assertThat(transitions(h.extractOutputValues())).isEmpty();
  }

  @Test
  void heartbeatsKeepGaugesFreshWithoutFlooding() throws Exception {
    var h = open(ChangeKind.MODEL_DRIFT);
    long t = T0;
    for (int i = 0; i < 600; i++, t += 1000) { // 10 minutes, one call a second
      feed(h, span("svc", t));
    }
    List<AnomalyEvent> out = h.extractOutputValues();
    assertThat(out).hasSize(10).allMatch(e -> !e.active && e.score == 0);
  }
}
