package io.llmobserve.pipeline.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.llmobserve.pipeline.detect.CallRun;
import io.llmobserve.pipeline.detect.CallRunCombiner;
import io.llmobserve.pipeline.detect.ChangeFunction;
import io.llmobserve.pipeline.detect.ChangeKind;
import io.llmobserve.pipeline.detect.CompletionBatch;
import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.detect.ResidencyFunction;
import io.llmobserve.pipeline.enrich.FoldLabelLimiter;
import io.llmobserve.pipeline.enrich.LabelLimiter;
import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.model.WindowAggregate;
import io.llmobserve.pipeline.window.PartialMerger;
import io.llmobserve.pipeline.window.SpanAccumulator;
import io.llmobserve.pipeline.window.WindowFinisher;
import io.llmobserve.pipeline.window.WindowPreAggregator;
import io.llmobserve.testsupport.CloseAfterEach;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's path (every fold at the source, {@link CallFolds}, then the label limits on the folded
 * records, {@link FoldLabelLimiter}) gives what the per-call path gave ({@link LabelLimiter} on
 * every call, then {@link WindowPreAggregator} and {@link CallRunCombiner}): the same windows and
 * route counts, the same labels folded into "other" beyond the limits, the same slots freed by the
 * TTL, failures labelled with their request model's last response model, the same detector
 * transitions and completion counts; on random traffic of two providers whose label values exceed
 * every limit, change versions, fingerprints and regions, with checkpoints in between.
 *
 * <p>Where the per-call verdict depends on which of two calls came first (two new values wanting
 * the last free slot, a failure before the first answer of its request model after a TTL), the
 * folded path decides in the order records reach the limiter, not calls; the traffic avoids those
 * orders (a model of the limiter's slots picks them) so the comparison is exact, and {@link
 * #aFailureFoldedWithItsFirstAnswerTakesItsResponseModel} shows the one difference. Other traffic:
 * {@code -Dfold.seed=N} (seeds 1-6 and 42 pass).
 */
class FoldedLabelLimitsTest {
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private static final Duration WINDOW = Duration.ofSeconds(1);
  private static final long TTL = 10_000;
  private static final long RECHECK = TTL / 100; // LabelBounds: 1% of the TTL
  private static final int MAX_MODELS = 4;
  private static final int MAX_SERVICES = 3;
  private static final int MAX_REGIONS = 3;
  private static final long T0 = 1_767_225_600_000L;
  private static final List<String> PROVIDERS = List.of("openai", "anthropic");

  private static final DetectorSettings SETTINGS =
      DetectorSettings.fromMap(
          Map.of(
              "drift.min.observations", "4",
              "drift.stable", "20s",
              "routing.min.observations", "4",
              "routing.stable", "20s",
              "residency.allowed.openai", "region-0,region-1",
              "residency.quiet", "20s"));

  /**
   * The limiter's slots for one label kind of one provider (admission, TTL refresh through the
   * 1%-of-TTL cache, expiry), to keep the traffic off orders where the verdict depends on which
   * call comes first.
   */
  static final class Slots {
    final int max;

    /** value -> {last state refresh, cached until}. */
    final Map<String, long[]> admitted = new HashMap<>();

    Slots(int max) {
      this.max = max;
    }

    private void expire(long now) {
      admitted.values().removeIf(e -> now >= e[0] + TTL);
    }

    /** Values of {@code used} that would ask for a slot at {@code now}. */
    Set<String> contenders(Set<String> used, long now) {
      expire(now);
      Set<String> c = new HashSet<>(used);
      c.removeAll(admitted.keySet());
      return c;
    }

    /** Whether every verdict on {@code used} is the same in any order. */
    boolean orderFree(Set<String> used, long now) {
      int c = contenders(used, now).size();
      int free = max - admitted.size();
      return c <= free || free == 0;
    }

    void use(Set<String> used, long now) {
      expire(now);
      for (String v : used) {
        long[] e = admitted.get(v);
        if (e == null) {
          if (admitted.size() < max) {
            admitted.put(v, new long[] {now, now + RECHECK});
          }
        } else if (now >= e[1]) { // past the cache: state is read, and refreshed
          e[0] = now;
          e[1] = now + RECHECK;
        }
      }
    }
  }

  /** One provider's traffic state. */
  static final class ProviderTraffic {
    final String provider;
    final Slots services = new Slots(MAX_SERVICES);
    final Slots models = new Slots(MAX_MODELS);
    final Slots regions = new Slots(MAX_REGIONS);
    final Slots pops = new Slots(MAX_REGIONS);
    final int[] version = new int[4];
    final String[] fingerprint = {"fp-a", "fp-a", "fp-a", "fp-a"};

    /** request model -> {response model, written at, cached until}, as the limiter keeps it. */
    final Map<String, Object[]> responseModels = new HashMap<>();

    final Map<String, String> homeRegion = new HashMap<>();
    final Map<String, String> homeHosting = new HashMap<>();

    // what this interval's calls used, for the model of the limiter's state
    final Set<String> usedServices = new HashSet<>();
    final Set<String> usedModels = new HashSet<>();
    final Set<String> usedRegions = new HashSet<>();
    final Set<String> usedPops = new HashSet<>();
    final Set<String> answeredRequests = new HashSet<>();

    // this interval's values
    List<String> services0;
    List<String> requests0;
    List<String> regions0;
    List<String> pops0;
    Set<String> failing;

    ProviderTraffic(String provider) {
      this.provider = provider;
    }

    String responseModel(String request) {
      return request + "-v" + version[request.charAt(request.length() - 1) - '0'];
    }

    boolean knows(String request, long now) {
      Object[] e = responseModels.get(request);
      return e != null && now < (long) e[1] + TTL && e[0].equals(responseModel(request));
    }

    void answered(String request, long now) {
      Object[] e = responseModels.get(request);
      String m = responseModel(request);
      if (e != null && now < (long) e[2] && e[0].equals(m)) {
        return;
      }
      responseModels.put(request, new Object[] {m, now, now + RECHECK});
    }

    /** The limiter's state after this interval's calls. */
    void commit(long now) {
      services.use(usedServices, now);
      models.use(usedModels, now);
      regions.use(usedRegions, now);
      pops.use(usedPops, now);
      for (String q : answeredRequests) {
        answered(q, now);
      }
      usedServices.clear();
      usedModels.clear();
      usedRegions.clear();
      usedPops.clear();
      answeredRequests.clear();
    }

    /** Picks this interval's label values: any order of calls gets the same verdicts. */
    void plan(Random r, long now) {
      for (int i = 0; i < version.length; i++) {
        if (r.nextInt(12) == 0) {
          version[i]++; // a new served version: a new model label, and drift
        }
        if (r.nextInt(15) == 0) {
          fingerprint[i] = fingerprint[i].equals("fp-a") ? "fp-b" : "fp-a";
        }
      }
      for (int attempt = 0; ; attempt++) {
        services0 = pick(r, "svc-", 6, 1 + r.nextInt(3));
        requests0 = pick(r, "req-", 4, 1 + r.nextInt(3));
        pops0 = pick(r, "pop-", 5, r.nextInt(3));
        Set<String> regionSet = new LinkedHashSet<>();
        for (String s : services0) {
          if (!homeRegion.containsKey(s) || r.nextInt(6) == 0) {
            homeRegion.put(s, "region-" + r.nextInt(5));
          }
          regionSet.add(homeRegion.get(s));
        }
        if (r.nextBoolean()) {
          regionSet.add("region-" + r.nextInt(5));
        }
        regions0 = new ArrayList<>(regionSet);
        Set<String> modelLabels = new HashSet<>();
        for (String q : requests0) {
          modelLabels.add(responseModel(q));
        }
        if (services.orderFree(new HashSet<>(services0), now)
            && models.orderFree(modelLabels, now)
            && regions.orderFree(regionSet, now)
            && pops.orderFree(new HashSet<>(pops0), now)) {
          failing = new HashSet<>();
          for (String q : requests0) {
            if (knows(q, now)) {
              failing.add(q); // its failures get the response model it has now, in any order
            }
          }
          return;
        }
        assertThat(attempt).as("traffic planning").isLessThan(1000);
      }
    }

    private static List<String> pick(Random r, String prefix, int pool, int n) {
      Set<String> s = new LinkedHashSet<>();
      while (s.size() < n) {
        s.add(prefix + r.nextInt(pool));
      }
      return new ArrayList<>(s);
    }

    LlmSpan call(Random r, long t) {
      LlmSpan s = new LlmSpan();
      s.provider = provider;
      s.service = services0.get(r.nextInt(services0.size()));
      s.operation = r.nextInt(5) == 0 ? "embeddings" : "chat";
      String q = requests0.get(r.nextInt(requests0.size()));
      s.requestModel = q;
      s.responseModel = responseModel(q);
      s.systemFingerprint = fingerprint[q.charAt(q.length() - 1) - '0'];
      s.region =
          r.nextInt(8) == 0 ? regions0.get(r.nextInt(regions0.size())) : homeRegion.get(s.service);
      s.hostingProvider =
          homeHosting.computeIfAbsent(s.service, k -> r.nextInt(3) == 0 ? null : "azure");
      if (r.nextInt(30) == 0) {
        s.hostingProvider = s.hostingProvider == null ? "aws" : null;
      }
      s.edgePop = pops0.isEmpty() || r.nextBoolean() ? null : pops0.get(r.nextInt(pops0.size()));
      s.serverAddress = r.nextInt(5) == 0 ? null : "api.example.com";
      s.outcome = "ok";
      s.statusCode = 200;
      int fate = r.nextInt(20);
      if (fate < 3) {
        s.outcome = fate == 0 ? "throttled" : "error";
        s.statusCode = fate == 0 ? 429 : 500;
        if (failing.contains(q)) { // no response model: labelled with the one it has now
          s.responseModel = null;
          s.systemFingerprint = null;
        }
      } else if (fate == 3 && failing.contains(q)) {
        s.responseModel = null; // answered, but the response said no model
      }
      if (r.nextInt(25) == 0 && s.responseModel != null) {
        s.requestModel = null;
      }
      s.model = s.responseModel != null ? s.responseModel : s.requestModel;
      usedServices.add(s.service);
      usedModels.add(responseModel(q));
      usedRegions.add(s.region);
      if (s.edgePop != null) {
        usedPops.add(s.edgePop);
      }
      if (s.requestModel != null && s.responseModel != null) {
        answeredRequests.add(q);
      }
      s.inputTokens = r.nextInt(2000);
      s.outputTokens = r.nextInt(500);
      s.costUsd = r.nextDouble() / 100;
      s.durationSeconds = r.nextInt(40) == 0 ? Double.NaN : 0.2 + r.nextDouble();
      if (r.nextBoolean()) {
        s.ttftSeconds = r.nextDouble() / 4;
      }
      s.remainingTokens = r.nextInt(50_000);
      s.limitTokens = 100_000 + r.nextInt(3) * 1000;
      s.startEpochNanos = (t - 500) * 1_000_000L;
      s.endEpochNanos = t * 1_000_000L;
      return s;
    }
  }

  private <I> KeyedOneInputStreamOperatorTestHarness<String, I, AnomalyEvent> detector(
      KeyedProcessFunction<String, I, AnomalyEvent> fn, KeySelector<I, String> key)
      throws Exception {
    var h =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), key, Types.STRING));
    h.open();
    return h;
  }

  private <I, O> OneInputStreamOperatorTestHarness<I, O> chained(OneInputStreamOperator<I, O> op)
      throws Exception {
    var h = closer.register(new OneInputStreamOperatorTestHarness<>(op));
    h.open();
    return h;
  }

  /** Records a harness emitted since the last call (watermarks skipped). */
  @SuppressWarnings("unchecked")
  private static <T> List<StreamRecord<T>> take(Queue<?> output) {
    List<StreamRecord<T>> out = new ArrayList<>();
    Object o;
    while ((o = output.poll()) != null) {
      if (o instanceof StreamRecord<?> r) {
        out.add((StreamRecord<T>) r);
      }
    }
    return out;
  }

  /** What one path produced, in comparable form. */
  static final class Results {
    final Map<String, SpanAccumulator> windows = new TreeMap<>();
    final Map<String, Long> routes = new TreeMap<>();
    final Map<String, Long> completions = new TreeMap<>();
    final Map<String, Long> completionEnds = new TreeMap<>();
    final List<String> transitions = new ArrayList<>();
    final Set<String> labels = new java.util.TreeSet<>();
    long runs;

    void window(StreamRecord<SpanAccumulator> p) {
      SpanAccumulator a = p.getValue();
      windows.merge(
          p.getTimestamp() + "/" + a.seriesKey(), a, (x, y) -> new PartialMerger().merge(x, y));
      labels.add(a.provider() + " service " + a.service());
      labels.add(a.provider() + " model " + a.model());
      labels.add(a.provider() + " region " + a.region());
    }

    void route(StreamRecord<RouteCount> r) {
      RouteCount c = r.getValue();
      routes.merge(r.getTimestamp() + "/" + c.routeKey(), c.calls, Long::sum);
      labels.add(c.provider + " pop " + c.edgePop);
      labels.add(c.provider + " hosting " + c.hostingProvider);
    }

    void completions(CompletionBatch b, long interval) {
      completions.merge(interval + "/" + b.key, b.count, Long::sum);
      completionEnds.merge(interval + "/" + b.key, b.maxEndMillis, Math::max);
    }
  }

  private static String describe(AnomalyEvent e) {
    return String.format(
        Locale.ROOT,
        "%s %s|%s|%s|%s|%s [%d,%d] %s active=%s observed=%s %s",
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
        e.detail);
  }

  /**
   * Transitions of keys that got calls of one raw key: where several values share "other", the
   * per-call path saw their calls interleaved and the folded path their runs one after the other,
   * which are different event sequences of a key that means nothing anyway.
   */
  private static void transitions(List<AnomalyEvent> events, List<String> into) {
    for (AnomalyEvent e : events) {
      // a call without a request model is keyed by its model label (ChangeKind), which may be
      // "other"; the event's labels are the key's, so an "other" model marks those keys too
      boolean mixed =
          LabelLimiter.OTHER.equals(e.service)
              || (e.kind.equals("residency_violation") && LabelLimiter.OTHER.equals(e.region))
              || (!e.kind.equals("residency_violation") && LabelLimiter.OTHER.equals(e.model));
      if (e.isTransition() && !mixed) {
        into.add(describe(e));
      }
    }
  }

  @Test
  void foldedRecordsGetTheLabelsWindowsAndTransitionsOfPerCallLimits() throws Exception {
    // per call: limiter, then the folds as the job had them
    var limiter =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<String, LlmSpan, LlmSpan>(
                new KeyedProcessOperator<>(
                    new LabelLimiter(
                        MAX_MODELS, MAX_SERVICES, MAX_REGIONS, Duration.ofMillis(TTL))),
                s -> s.provider,
                Types.STRING));
    limiter.open();
    var partials = chained(new WindowPreAggregator(WINDOW));
    Map<ChangeKind, OneInputStreamOperatorTestHarness<LlmSpan, CallRun>> runs = new HashMap<>();
    Map<ChangeKind, KeyedOneInputStreamOperatorTestHarness<String, CallRun, AnomalyEvent>>
        detectors = new HashMap<>();
    Map<ChangeKind, KeyedOneInputStreamOperatorTestHarness<String, CallRun, AnomalyEvent>>
        foldedDetectors = new HashMap<>();
    for (ChangeKind k : ChangeKind.values()) {
      runs.put(k, chained(CallRunCombiner.change(k)));
      detectors.put(k, detector(new ChangeFunction(k, SETTINGS), r -> r.key));
      foldedDetectors.put(k, detector(new ChangeFunction(k, SETTINGS), r -> r.key));
    }
    var residencyRuns = chained(CallRunCombiner.residency(SETTINGS));
    var residency = detector(new ResidencyFunction(SETTINGS), r -> r.key);
    var completionBatches = chained(CallRunCombiner.stall());

    // folded: every fold first, then the limits on what was folded
    var folds = chained(new CallFolds(WINDOW, SETTINGS, true));
    var foldLimiter =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<String, CallFold, SpanAccumulator>(
                new KeyedProcessOperator<>(
                    new FoldLabelLimiter(
                        MAX_MODELS, MAX_SERVICES, MAX_REGIONS, Duration.ofMillis(TTL))),
                f -> f.provider,
                Types.STRING));
    foldLimiter.open();
    var foldedResidency = detector(new ResidencyFunction(SETTINGS), r -> r.key);

    Results perCall = new Results();
    Results folded = new Results();
    Random r = new Random(Long.getLong("fold.seed", 42));
    List<ProviderTraffic> traffic = new ArrayList<>();
    for (String p : PROVIDERS) {
      traffic.add(new ProviderTraffic(p));
    }
    long now = 1_000; // processing time: the TTL's clock
    long t = T0;
    long calls = 0;
    List<AnomalyEvent> perCallEvents = new ArrayList<>();
    List<AnomalyEvent> foldedEvents = new ArrayList<>();
    for (int interval = 0; interval < 150; interval++) {
      // Processing time stands still within an interval, jumps between some: slots expire.
      now += interval % 40 == 39 ? 3 * TTL : interval % 8 == 7 ? TTL / 3 : 1;
      limiter.setStateTtlProcessingTime(now);
      limiter.setProcessingTime(now);
      foldLimiter.setStateTtlProcessingTime(now);
      foldLimiter.setProcessingTime(now);
      for (ProviderTraffic p : traffic) {
        p.plan(r, now);
      }
      int n = 10 + r.nextInt(60);
      for (int i = 0; i < n; i++) {
        t += 1 + r.nextInt(60);
        LlmSpan s = traffic.get(r.nextInt(4) == 0 ? 1 : 0).call(r, t);
        calls++;
        limiter.processElement(new StreamRecord<>(s.copy(), t));
        for (StreamRecord<LlmSpan> limited :
            FoldedLabelLimitsTest.<LlmSpan>take(limiter.getOutput())) {
          partials.processElement(limited);
          for (var h : runs.values()) {
            h.processElement(limited);
          }
          residencyRuns.processElement(limited);
          completionBatches.processElement(limited);
        }
        folds.processElement(new StreamRecord<>(s, t));
      }
      for (ProviderTraffic p : traffic) {
        p.commit(now);
      }
      // a checkpoint barrier, then the watermark: everything folded leaves
      Watermark wm = new Watermark(t);
      for (OneInputStreamOperatorTestHarness<LlmSpan, ?> h :
          List.of(partials, residencyRuns, completionBatches, folds)) {
        h.prepareSnapshotPreBarrier(interval);
        h.processWatermark(wm);
      }
      for (var h : runs.values()) {
        h.prepareSnapshotPreBarrier(interval);
        h.processWatermark(wm);
      }
      // per call
      for (StreamRecord<SpanAccumulator> p :
          FoldedLabelLimitsTest.<SpanAccumulator>take(partials.getOutput())) {
        perCall.window(p);
      }
      for (StreamRecord<RouteCount> c :
          FoldedLabelLimitsTest.<RouteCount>take(
              partials.getSideOutput(WindowPreAggregator.ROUTE_PARTIALS))) {
        perCall.route(c);
      }
      for (ChangeKind k : ChangeKind.values()) {
        for (StreamRecord<CallRun> run :
            FoldedLabelLimitsTest.<CallRun>take(runs.get(k).getOutput())) {
          detectors.get(k).processElement(run);
          perCall.runs++;
        }
        detectors.get(k).processWatermark(wm);
      }
      for (StreamRecord<CallRun> run :
          FoldedLabelLimitsTest.<CallRun>take(residencyRuns.getOutput())) {
        residency.processElement(run);
      }
      residency.processWatermark(wm);
      for (StreamRecord<CompletionBatch> b :
          FoldedLabelLimitsTest.<CompletionBatch>take(completionBatches.getOutput())) {
        perCall.completions(b.getValue(), interval);
      }
      // folded
      for (StreamRecord<CallFold> f : FoldedLabelLimitsTest.<CallFold>take(folds.getOutput())) {
        // across the shuffle: what the limiter gets is what the serializer read back
        foldLimiter.processElement(
            f.hasTimestamp()
                ? new StreamRecord<>(
                    CallFoldTypeInfo.Serializer.INSTANCE.copy(f.getValue()), f.getTimestamp())
                : new StreamRecord<>(CallFoldTypeInfo.Serializer.INSTANCE.copy(f.getValue())));
      }
      foldLimiter.processWatermark(wm);
      for (StreamRecord<SpanAccumulator> p :
          FoldedLabelLimitsTest.<SpanAccumulator>take(foldLimiter.getOutput())) {
        folded.window(p);
      }
      for (StreamRecord<RouteCount> c :
          FoldedLabelLimitsTest.<RouteCount>take(
              foldLimiter.getSideOutput(FoldLabelLimiter.ROUTES))) {
        folded.route(c);
      }
      for (ChangeKind k : ChangeKind.values()) {
        Queue<StreamRecord<CallRun>> out = foldLimiter.getSideOutput(FoldLabelLimiter.runs(k));
        for (StreamRecord<CallRun> run :
            FoldedLabelLimitsTest.<CallRun>take(out == null ? new java.util.ArrayDeque<>() : out)) {
          foldedDetectors.get(k).processElement(run);
          folded.runs++;
        }
        foldedDetectors.get(k).processWatermark(wm);
      }
      var residencyOut = foldLimiter.getSideOutput(FoldLabelLimiter.residencyRuns());
      if (residencyOut != null) {
        for (StreamRecord<CallRun> run : FoldedLabelLimitsTest.<CallRun>take(residencyOut)) {
          foldedResidency.processElement(run);
        }
      }
      foldedResidency.processWatermark(wm);
      var batchesOut = foldLimiter.getSideOutput(FoldLabelLimiter.COMPLETIONS);
      if (batchesOut != null) {
        for (StreamRecord<CompletionBatch> b :
            FoldedLabelLimitsTest.<CompletionBatch>take(batchesOut)) {
          folded.completions(b.getValue(), interval);
        }
      }
    }
    for (ChangeKind k : ChangeKind.values()) {
      perCallEvents.addAll(detectors.get(k).extractOutputValues());
      foldedEvents.addAll(foldedDetectors.get(k).extractOutputValues());
    }
    perCallEvents.addAll(residency.extractOutputValues());
    foldedEvents.addAll(foldedResidency.extractOutputValues());
    transitions(perCallEvents, perCall.transitions);
    transitions(foldedEvents, folded.transitions);

    // The traffic exercises what it claims to: values beyond every limit, failures relabelled.
    assertThat(perCall.labels)
        .contains(
            "openai service other",
            "openai model other",
            "openai region other",
            "openai pop other");
    assertThat(perCall.labels).contains("anthropic service other");
    // more values than slots over time: the TTL freed slots
    assertThat(perCall.labels.stream().filter(l -> l.matches("openai service svc-.*")).count())
        .isGreaterThan(MAX_SERVICES);
    assertThat(perCall.labels.stream().filter(l -> l.matches("openai model req-.*")).count())
        .isGreaterThan(MAX_MODELS);
    assertThat(perCall.transitions.stream().filter(e -> e.startsWith("model_drift")).count())
        .isGreaterThan(2);
    assertThat(perCall.transitions.stream().filter(e -> e.startsWith("routing_change")).count())
        .isGreaterThan(2);
    assertThat(perCall.transitions.stream().filter(e -> e.startsWith("residency")).count())
        .isGreaterThan(2);

    assertThat(folded.labels).containsExactlyElementsOf(perCall.labels);
    assertThat(folded.windows.keySet()).containsExactlyElementsOf(perCall.windows.keySet());
    long windowCalls = 0;
    for (Map.Entry<String, SpanAccumulator> e : perCall.windows.entrySet()) {
      WindowAggregate x = WindowFinisher.toAggregate(e.getValue(), 0, 1);
      WindowAggregate y = WindowFinisher.toAggregate(folded.windows.get(e.getKey()), 0, 1);
      String key = e.getKey();
      assertThat(y.calls).as(key).isEqualTo(x.calls);
      assertThat(y.okCalls).as(key).isEqualTo(x.okCalls);
      assertThat(y.errorCalls).as(key).isEqualTo(x.errorCalls);
      assertThat(y.throttledCalls).as(key).isEqualTo(x.throttledCalls);
      assertThat(y.inputTokens).as(key).isEqualTo(x.inputTokens);
      assertThat(y.outputTokens).as(key).isEqualTo(x.outputTokens);
      assertThat(y.costUsd).as(key).isCloseTo(x.costUsd, within(1e-9));
      assertThat(y.minRemainingTokens).as(key).isEqualTo(x.minRemainingTokens);
      assertThat(y.maxLimitTokens).as(key).isEqualTo(x.maxLimitTokens);
      assertThat(y.ttftCount).as(key).isEqualTo(x.ttftCount);
      if (!Double.isNaN(x.latencyP50)) {
        assertThat(y.latencyP50).as(key).isCloseTo(x.latencyP50, within(0.1));
      }
      windowCalls += x.calls;
    }
    assertThat(windowCalls).isEqualTo(calls);
    assertThat(folded.routes).containsExactlyEntriesOf(perCall.routes);
    assertThat(folded.completions).containsExactlyEntriesOf(perCall.completions);
    assertThat(folded.completionEnds).containsExactlyEntriesOf(perCall.completionEnds);
    assertThat(folded.transitions).containsExactlyInAnyOrderElementsOf(perCall.transitions);
  }

  /**
   * The one order the folded path cannot see: a failure folded together with the first answer of
   * its request model takes that answer's response model (per call, a failure before that answer
   * kept its request model); it joins the series carrying the traffic, which is what the
   * substitution is for.
   */
  @Test
  void aFailureFoldedWithItsFirstAnswerTakesItsResponseModel() throws Exception {
    var folds = chained(new CallFolds(WINDOW, SETTINGS, false));
    var foldLimiter =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<String, CallFold, SpanAccumulator>(
                new KeyedProcessOperator<>(new FoldLabelLimiter(10, 10, 10, Duration.ofHours(1))),
                f -> f.provider,
                Types.STRING));
    foldLimiter.open();
    LlmSpan failure = call("gpt-4o-mini", null, T0 + 10);
    failure.outcome = "throttled";
    folds.processElement(new StreamRecord<>(failure, T0 + 10));
    folds.processElement(
        new StreamRecord<>(call("gpt-4o-mini", "gpt-4o-mini-2024-07-18", T0 + 20), T0 + 20));
    folds.processElement(new StreamRecord<>(call("gpt-4o", null, T0 + 30), T0 + 30));
    folds.processWatermark(new Watermark(T0 + 5_000));
    for (StreamRecord<CallFold> f : FoldedLabelLimitsTest.<CallFold>take(folds.getOutput())) {
      foldLimiter.processElement(f);
    }
    Map<String, Long> callsByModel = new TreeMap<>();
    for (SpanAccumulator a : foldLimiter.extractOutputValues()) {
      callsByModel.merge(a.model(), a.calls(), Long::sum);
    }
    // gpt-4o was never answered: its failure keeps the request model
    assertThat(callsByModel)
        .containsExactly(Map.entry("gpt-4o", 1L), Map.entry("gpt-4o-mini-2024-07-18", 2L));
  }

  private static LlmSpan call(String requestModel, String responseModel, long t) {
    LlmSpan s = new LlmSpan();
    s.provider = "openai";
    s.service = "svc";
    s.operation = "chat";
    s.region = "unknown";
    s.requestModel = requestModel;
    s.responseModel = responseModel;
    s.model = responseModel != null ? responseModel : requestModel;
    s.outcome = responseModel != null ? "ok" : "error";
    s.durationSeconds = 0.5;
    s.endEpochNanos = t * 1_000_000L;
    return s;
  }
}
