package io.llmobserve.pipeline.detect;

import static io.llmobserve.pipeline.detect.Fixtures.T0;
import static io.llmobserve.pipeline.detect.Fixtures.transitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.InFlightSample;
import io.llmobserve.pipeline.model.LlmSpan;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stall detector on synthetic traffic: a key doing ~4 calls/s of ~0.5 s (heavy-tailed), its
 * agent sampling the calls in flight once a second, completed calls arriving 1 s after they end.
 */
class StallFunctionTest {
  private static final StallSettings SETTINGS =
      StallSettings.fromMap(Map.of("stall.completion.lag", "1s"));
  private static final double RATE = 4; // calls/s

  private KeyedTwoInputStreamOperatorTestHarness<
          String, InFlightSample, CompletionBatch, AnomalyEvent>
      h;
  private final Random random = new Random(42);

  /** Sample clock (agent time), ms. */
  private long t;

  @BeforeEach
  void open() throws Exception {
    h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new StallFunction(SETTINGS)),
            InFlightSample::stallKey,
            b -> b.key,
            Types.STRING);
    h.open();
    h.setProcessingTime(0);
    t = T0;
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  /**
   * One second of normal traffic: 4 completions of ~0.5 s (log-normal), then a sample of ~2 in
   * flight.
   */
  private void normalSecond(double latencyMedian) throws Exception {
    for (int i = 0; i < RATE; i++) {
      double d = latencyMedian * Math.exp(0.4 * random.nextGaussian());
      complete(t + i * 250, d);
    }
    t += 1000;
    sample(2 + random.nextInt(2), latencyMedian * 1.5);
  }

  private void complete(long endMs, double seconds) throws Exception {
    LlmSpan s = Fixtures.span("svc", endMs);
    s.durationSeconds = seconds;
    s.startEpochNanos = s.endEpochNanos - (long) (seconds * 1e9);
    h.processElement2(CompletionBatch.of(s), endMs); // a batch of one call
  }

  private List<AnomalyEvent> sample(long active, double oldestAge) throws Exception {
    int before = h.extractOutputValues().size();
    InFlightSample s = new InFlightSample();
    s.service = "svc";
    s.provider = "openai";
    s.operation = "chat";
    s.requestModel = "gpt-4o";
    s.active = active;
    s.oldestAgeSeconds = oldestAge;
    s.timeMillis = t;
    h.setProcessingTime(h.getProcessingTime() + 1000);
    h.processElement1(s, t);
    List<AnomalyEvent> all = h.extractOutputValues();
    return all.subList(before, all.size());
  }

  private void warmUp() throws Exception {
    for (int i = 0; i < 30; i++) {
      normalSecond(0.5);
    }
    assertThat(transitions(h.extractOutputValues())).isEmpty();
  }

  @Test
  void hangFiresWhileTheCallsAreOpenAndResolvesWhenTheyEnd() throws Exception {
    warmUp();
    long hangStart = t;
    AnomalyEvent firing = null;
    // every call from now on hangs: in flight grows by 4/s, nothing completes
    for (int s = 1; s <= 20 && firing == null; s++) {
      t += 1000;
      for (AnomalyEvent e : sample(2 + 4L * s, s)) {
        if ("firing".equals(e.transition)) {
          firing = e;
        }
      }
    }
    assertThat(firing).as("stall opened during the hang").isNotNull();
    assertThat((t - hangStart) / 1000).as("seconds into the hang").isLessThanOrEqualTo(4);
    assertThat(firing.kind).isEqualTo("stall");
    assertThat(firing.model).as("labels of the key's calls").isEqualTo("gpt-4o-2024-08-06");
    assertThat(firing.region).isEqualTo("East US 2");
    assertThat(firing.active).isTrue();
    assertThat(firing.score).isGreaterThanOrEqualTo(1);
    assertThat(firing.baseline).isBetween(0.5, 2.0); // the p95 latency
    assertThat(firing.detail).contains("in flight");
    // still hanging: stays open, one firing only
    for (int s = 0; s < 30; s++) {
      t += 1000;
      sample(40 + s, 10 + s);
    }
    assertThat(transitions(h.extractOutputValues()))
        .extracting(e -> e.transition)
        .containsExactly("firing");
    // the calls time out / finish: nothing old left in flight
    t += 1000;
    List<AnomalyEvent> out = sample(0, 0);
    assertThat(out)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.transition).isEqualTo("resolved");
              assertThat(e.active).isFalse();
            });
  }

  @Test
  void slowButFinishingCallsAreFlaggedBeforeTheyComplete() throws Exception {
    warmUp();
    // +10 s on every call: calls pile up, the first completes after 10.5 s
    long spikeStart = t;
    Long firedAt = null;
    for (int s = 1; s <= 10 && firedAt == null; s++) {
      t += 1000;
      if (sample(2 + 4L * s, s).stream().anyMatch(e -> "firing".equals(e.transition))) {
        firedAt = t;
      }
    }
    assertThat(firedAt).as("flagged before the first slow call completes (10.5 s)").isNotNull();
    assertThat(firedAt - spikeStart).isLessThan(10_500);
    // slow completions arrive: the open stall does not learn them, and stays open while calls are
    // slow
    for (int s = 0; s < 20; s++) {
      for (int i = 0; i < RATE; i++) {
        complete(t + i * 250, 10.5);
      }
      t += 1000;
      sample(42, 10.4);
    }
    assertThat(transitions(h.extractOutputValues()))
        .extracting(e -> e.transition)
        .containsExactly("firing");
    // the spike is over: fast calls again, the slow ones drain
    t += 1000;
    sample(3, 0.8);
    assertThat(transitions(h.extractOutputValues()))
        .extracting(e -> e.transition)
        .containsExactly("firing", "resolved");
  }

  @Test
  void oneHungCallOnAQuietKeyFiresOnceItIsFarOlderThanTheBaseline() throws Exception {
    warmUp();
    double p95 = h.extractOutputValues().get(h.extractOutputValues().size() - 1).baseline;
    double limit = Math.max(2.0, 4 * p95);
    for (int age = 1; age < limit - 0.5; age++) {
      t += 1000;
      assertThat(sample(1, age))
          .as("age %d < limit %.1f", age, limit)
          .allSatisfy(e -> assertThat(e.active).isFalse());
    }
    t += 1000;
    assertThat(sample(1, limit + 0.1))
        .singleElement()
        .satisfies(e -> assertThat(e.transition).isEqualTo("firing"));
    t += 1000;
    assertThat(sample(0, 0))
        .singleElement()
        .satisfies(e -> assertThat(e.transition).isEqualTo("resolved"));
  }

  @Test
  void quietThroughHeavyTailsAndTrafficBursts() throws Exception {
    warmUp();
    for (int minute = 0; minute < 5; minute++) {
      for (int i = 0; i < 50; i++) {
        normalSecond(0.5);
      }
      // a burst: 3x the calls in flight, but they keep completing
      for (int i = 0; i < 10; i++) {
        for (int c = 0; c < 3 * RATE; c++) {
          complete(t + c * 80, 0.5 * Math.exp(0.4 * random.nextGaussian()));
        }
        t += 1000;
        sample(9, 1.2);
      }
      // one tail call at twice the p95 now and then
      t += 1000;
      sample(3, 2.2);
    }
    assertThat(transitions(h.extractOutputValues())).isEmpty();
    assertThat(h.extractOutputValues()).allSatisfy(e -> assertThat(e.score).isLessThan(1));
  }

  @Test
  void labelsComeFromTheLastAnsweredCallNotFromAFailedOne() throws Exception {
    warmUp();
    LlmSpan failed = Fixtures.span("svc", t);
    failed.responseModel = null;
    failed.model = "gpt-4o"; // a failure is labelled with its request model
    failed.region = "unknown";
    failed.outcome = "error";
    failed.durationSeconds = 0.1;
    h.processElement2(CompletionBatch.of(failed), t);
    t += 1000;
    assertThat(sample(1, 30))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.transition).isEqualTo("firing");
              assertThat(e.model).isEqualTo("gpt-4o-2024-08-06");
              assertThat(e.region).isEqualTo("East US 2");
            });
  }

  @Test
  void aKeyWithoutBaselineOnlyFiresOnTheAbsoluteLimit() throws Exception {
    t += 1000;
    assertThat(sample(1, 60))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.active).isFalse();
              assertThat(e.region).isEqualTo("unknown");
              assertThat(e.model).as("request model until a call completed").isEqualTo("gpt-4o");
            });
    t += 1000;
    assertThat(sample(1, 121))
        .singleElement()
        .satisfies(e -> assertThat(e.transition).isEqualTo("firing"));
  }

  @Test
  void anOpenStallResolvesAsStaleWhenSamplesStop() throws Exception {
    warmUp();
    t += 1000;
    assertThat(sample(1, 30))
        .singleElement()
        .satisfies(e -> assertThat(e.transition).isEqualTo("firing"));
    h.setProcessingTime(h.getProcessingTime() + 59_000);
    assertThat(transitions(h.extractOutputValues())).hasSize(1);
    h.setProcessingTime(h.getProcessingTime() + 3_000);
    List<AnomalyEvent> tr = transitions(h.extractOutputValues());
    assertThat(tr).extracting(e -> e.transition).containsExactly("firing", "resolved");
    assertThat(tr.get(1).detail).contains("stale");
  }

  @Test
  void settingsParseAndRejectUnknownKeys() {
    StallSettings s =
        StallSettings.fromMap(
            Map.of("stall.age.factor", "6", "stall.min.age", "3s", "latency.threshold", "4"));
    assertThat(s.ageFactor).isEqualTo(6);
    assertThat(s.minAgeMillis).isEqualTo(3000);
    assertThat(
            StallSettings.withoutStallKeys(
                Map.of("stall.age.factor", "6", "latency.threshold", "4")))
        .containsOnlyKeys("latency.threshold");
    Assertions.assertThatThrownBy(() -> StallSettings.fromMap(Map.of("stall.nope", "1")))
        .hasMessageContaining("detector.stall.nope");
    Assertions.assertThatThrownBy(() -> StallSettings.fromMap(Map.of("stall.age.factor", "x")))
        .hasMessageContaining("detector.stall.age.factor");
  }
}
