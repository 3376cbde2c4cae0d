package io.llmobserve.pipeline.detect;

import static io.llmobserve.pipeline.detect.Fixtures.T0;
import static io.llmobserve.pipeline.detect.Fixtures.harness;
import static io.llmobserve.pipeline.detect.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.InFlightSample;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.testsupport.CloseAfterEach;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event detectors fed by {@link CallRunCombiner} (runs and batches folded before the shuffle)
 * say what they said when they took every call: the same transitions (drift, routing, residency)
 * and the same stall events, on random traffic with changing values, failures, unknown regions,
 * watermarks and checkpoint barriers in between.
 */
class CallRunCombinerTest {
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private static final DetectorSettings SETTINGS =
      DetectorSettings.fromMap(
          Map.of(
              "drift.min.observations", "5",
              "drift.stable", "2m",
              "routing.min.observations", "5",
              "routing.stable", "2m",
              "residency.allowed.openai", "East US 2",
              "residency.quiet", "1m"));

  /** Calls of 3 services, 1-3 s apart; versions, fingerprints and regions change in phases. */
  static List<LlmSpan> traffic(long seed, int n) {
    Random r = new Random(seed);
    List<LlmSpan> out = new ArrayList<>();
    long t = T0;
    for (int i = 0; i < n; i++) {
      t += 1000 + r.nextInt(2000);
      LlmSpan s = span("svc-" + r.nextInt(3), t);
      int phase = (i * 6 / n) % 3; // stable, changed, back (so changes open and resolve)
      s.responseModel = phase == 1 && r.nextInt(10) > 0 ? "gpt-4o-2024-11-20" : "gpt-4o-2024-08-06";
      s.model = s.responseModel;
      s.systemFingerprint = phase == 2 && r.nextBoolean() ? "fp_bbb" : "fp_aaa";
      s.region =
          r.nextInt(8) == 0 ? "unknown" : phase == 1 && r.nextInt(4) == 0 ? "West US" : "East US 2";
      s.hostingProvider = phase == 2 && r.nextInt(3) == 0 ? "aws" : "azure";
      s.serverAddress = r.nextInt(5) == 0 ? null : "api.example.com";
      if (r.nextInt(12) == 0) { // a failure: no response model, labelled with its request model
        s.outcome = "error";
        s.responseModel = null;
        s.model = s.requestModel;
      }
      if (r.nextInt(15) == 0) {
        s.requestModel = null;
      }
      s.durationSeconds = r.nextInt(40) == 0 ? Double.NaN : 0.2 + r.nextDouble();
      out.add(s);
    }
    return out;
  }

  private static String describe(AnomalyEvent e) {
    return String.format(
        Locale.ROOT,
        "%s %s|%s|%s|%s|%s [%d,%d] %s active=%s observed=%s baseline=%s score=%s %s",
        e.kind,
        e.service,
        e.provider,
        e.model,
        e.region,
        e.operation,
        e.windowStart,
        e.windowEnd,
        e.transition,
        e.active,
        e.observed,
        e.baseline,
        e.score,
        e.detail);
  }

  private static List<String> transitions(List<AnomalyEvent> events) {
    return events.stream()
        .filter(AnomalyEvent::isTransition)
        .map(CallRunCombinerTest::describe)
        .toList();
  }

  /**
   * Feeds the traffic per call (reference) and through the combiner; returns the transitions of
   * both and how many records each detector took.
   */
  private List<List<String>> compare(
      Function<LlmSpan, CallRun> perCall,
      CallRunCombiner<CallRun> combiner,
      KeyedOneInputStreamOperatorTestHarness<String, CallRun, AnomalyEvent> reference,
      KeyedOneInputStreamOperatorTestHarness<String, CallRun, AnomalyEvent> folded,
      long[] records)
      throws Exception {
    OneInputStreamOperatorTestHarness<LlmSpan, CallRun> runs =
        closer.register(new OneInputStreamOperatorTestHarness<>(combiner));
    runs.open();
    int taken = 0;
    int i = 0;
    for (LlmSpan s : traffic(7, 3000)) {
      CallRun one = perCall.apply(s);
      if (one != null) {
        reference.processElement(one, s.eventTimeMillis());
        records[0]++;
      }
      runs.processElement(s, s.eventTimeMillis());
      if (++i % 25 == 0) {
        if (i % 100 == 0) {
          runs.prepareSnapshotPreBarrier(i); // a checkpoint: everything leaves before the barrier
        }
        long wm = s.eventTimeMillis() - 5_000;
        runs.processWatermark(wm);
        List<CallRun> out = runs.extractOutputValues();
        for (CallRun r : out.subList(taken, out.size())) {
          folded.processElement(r, r.lastMillis);
          records[1]++;
        }
        taken = out.size();
        reference.processWatermark(wm);
        folded.processWatermark(wm);
      }
    }
    runs.processWatermark(Long.MAX_VALUE);
    List<CallRun> out = runs.extractOutputValues();
    for (CallRun r : out.subList(taken, out.size())) {
      folded.processElement(r, r.lastMillis);
      records[1]++;
    }
    reference.processWatermark(Long.MAX_VALUE);
    folded.processWatermark(Long.MAX_VALUE);
    return List.of(
        transitions(reference.extractOutputValues()), transitions(folded.extractOutputValues()));
  }

  @Test
  void changeDetectorsSayTheSameWithRunsAsPerCall() throws Exception {
    for (ChangeKind kind : ChangeKind.values()) {
      long[] records = new long[2];
      List<List<String>> both =
          compare(
              s ->
                  ChangeFunction.watched(s)
                      ? CallRun.of(kind.key(s), s, kind.first(s), kind.second(s))
                      : null,
              CallRunCombiner.change(kind),
              closer.register(harness(new ChangeFunction(kind, SETTINGS), r -> r.key)),
              closer.register(harness(new ChangeFunction(kind, SETTINGS), r -> r.key)),
              records);
      assertThat(both.get(0)).as(kind + ": the traffic makes changes").hasSizeGreaterThan(2);
      assertThat(both.get(1)).as(kind.kind).containsExactlyElementsOf(both.get(0));
      // random labels break runs often here; steady traffic folds far more (the benchmark)
      assertThat(records[1]).as(kind + ": records into the detector").isLessThan(records[0]);
    }
  }

  @Test
  void residencySaysTheSameWithRunsAsPerCall() throws Exception {
    long[] records = new long[2];
    List<List<String>> both =
        compare(
            s -> CallRun.of(ResidencyFunction.key(s), s, null, null),
            CallRunCombiner.residency(SETTINGS),
            closer.register(harness(new ResidencyFunction(SETTINGS), r -> r.key)),
            closer.register(harness(new ResidencyFunction(SETTINGS), r -> r.key)),
            records);
    assertThat(both.get(0)).as("violations open and resolve").hasSizeGreaterThan(2);
    assertThat(both.get(1)).containsExactlyElementsOf(both.get(0));
    assertThat(records[1]).isLessThan(records[0]);
  }

  private KeyedTwoInputStreamOperatorTestHarness<
          String, InFlightSample, CompletionBatch, AnomalyEvent>
      stallHarness() throws Exception {
    var h =
        closer.register(
            new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(
                    new StallFunction(StallSettings.fromMap(Map.of("stall.completion.lag", "1s")))),
                InFlightSample::stallKey,
                (CompletionBatch b) -> b.key,
                Types.STRING));
    h.open();
    return h;
  }

  @Test
  void stallSaysTheSameWithBatchesAsPerCall() throws Exception {
    var reference = stallHarness();
    var folded = stallHarness();
    OneInputStreamOperatorTestHarness<LlmSpan, CompletionBatch> batches =
        closer.register(new OneInputStreamOperatorTestHarness<>(CallRunCombiner.stall()));
    batches.open();
    int taken = 0;
    int i = 0;
    long records = 0;
    Random r = new Random(3);
    for (LlmSpan s : traffic(11, 3000)) {
      if (CompletionBatch.completes(s)) {
        reference.processElement2(CompletionBatch.of(s), s.eventTimeMillis());
        records++;
      }
      batches.processElement(s, s.eventTimeMillis());
      // batches of up to ~400 calls: past the ring of 128 the detector keeps
      if (++i % (1 + r.nextInt(400)) == 0) {
        batches.processWatermark(s.eventTimeMillis() - 5_000);
        List<CompletionBatch> out = batches.extractOutputValues();
        for (CompletionBatch b : out.subList(taken, out.size())) {
          folded.processElement2(b, b.maxEndMillis);
        }
        taken = out.size();
        for (String svc : List.of("svc-0", "svc-1", "svc-2")) {
          InFlightSample sample = new InFlightSample();
          sample.service = svc;
          sample.provider = "openai";
          sample.operation = "chat";
          sample.requestModel = "gpt-4o";
          sample.active = r.nextInt(6);
          sample.oldestAgeSeconds = r.nextInt(10) == 0 ? 30 : r.nextDouble() * 2;
          sample.timeMillis = s.eventTimeMillis();
          reference.processElement1(sample, sample.timeMillis);
          folded.processElement1(sample, sample.timeMillis);
        }
      }
    }
    List<String> expected =
        reference.extractOutputValues().stream().map(CallRunCombinerTest::describe).toList();
    assertThat(expected).anyMatch(e -> e.contains("firing"));
    assertThat(folded.extractOutputValues().stream().map(CallRunCombinerTest::describe).toList())
        .containsExactlyElementsOf(expected);
    assertThat(taken).isLessThan((int) records / 10);
  }
}
