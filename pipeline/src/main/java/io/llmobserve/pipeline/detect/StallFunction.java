package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.InFlightSample;
import io.llmobserve.pipeline.model.LlmSpan;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code stall} anomaly: calls that are still hanging. Input 1 is the agent's in-flight
 * samples, input 2 the key's completed calls (which give its latency baseline and completion rate).
 * Keyed by (service, provider, request model or deployment, operation).
 *
 * <p>Fires on a sample when either
 *
 * <ul>
 *   <li>the oldest call in flight is older than {@code age.factor} x the key's p95 latency (at
 *       least {@code min.age}; {@code no.baseline.age} before the key has a baseline), or
 *   <li>calls pile up while completions stopped: at least {@code pileup.factor} x the usual number
 *       in flight (and {@code pileup.min}), the oldest older than the p95, and {@code
 *       missed.completions} completions were expected since the last one.
 * </ul>
 *
 * So a hang shows while the calls are open, and slow-but-finishing calls show before they finish.
 * It resolves when the old calls are gone (finished or timed out: the oldest is back under 2 x p95
 * and nothing piles up), or when the key's samples stop for {@code stale}. While open, completed
 * calls do not move the baseline (up to {@code relearn}). Score: the larger of age / age threshold
 * and in-flight / pile-up threshold; 1 = the firing line. Observed: the oldest age (s); baseline:
 * the key's p95 latency (s).
 */
public class StallFunction
    extends KeyedCoProcessFunction<String, InFlightSample, CompletionBatch, AnomalyEvent> {
  private static final long serialVersionUID = 1L;
  public static final String KIND = "stall";

  /** EWMA weight of one sample in the usual number in flight. */
  static final double TYPICAL_ALPHA = 0.1;

  private final StallSettings settings;
  private transient ValueState<StallState> state;

  public StallFunction(StallSettings settings) {
    this.settings = settings;
  }

  public static String key(LlmSpan s) {
    return InFlightSample.stallKey(s.service, s.provider, s.requestModel, s.operation);
  }

  @Override
  public void open(OpenContext ctx) {
    state =
        getRuntimeContext()
            .getState(KeyedStateTtl.valueState("stall", StallState.class, settings.stateTtlMillis));
  }

  /** The key's completed calls since the last batch ({@link CallRunCombiner#stall}). */
  @Override
  public void processElement2(CompletionBatch batch, Context ctx, Collector<AnomalyEvent> out)
      throws Exception {
    if (batch.count == 0) {
      return;
    }
    StallState st = orNew(state.value());
    // labels from calls that were answered: a failed call has no response model or serving region
    if (batch.model != null) {
      st.model = batch.model;
    }
    if (batch.region != null) {
      st.region = batch.region;
    }
    boolean learn = !st.open || st.lastSampleMillis - st.openedAtMillis >= settings.relearnMillis;
    if (learn) {
      st.addCompletions(batch);
    } else {
      st.lastCompletionEndMillis = Math.max(st.lastCompletionEndMillis, batch.maxEndMillis);
    }
    state.update(st);
  }

  @Override
  public void processElement1(InFlightSample s, Context ctx, Collector<AnomalyEvent> out)
      throws Exception {
    StallState st = orNew(state.value());
    long now = ctx.timerService().currentProcessingTime();
    st.lastSampleProcessingMillis = now;
    // one timer per key and second, not per sample
    ctx.timerService()
        .registerProcessingTimeTimer(((now + settings.staleMillis) / 1000 + 1) * 1000);

    Verdict v = evaluate(st, s);
    if (!st.open && !(v.score >= 1)) {
      // only a quiet key's samples teach the usual number in flight
      st.typicalInFlight =
          Double.isNaN(st.typicalInFlight)
              ? s.active
              : st.typicalInFlight + TYPICAL_ALPHA * (s.active - st.typicalInFlight);
    }
    String transition = null;
    if (!st.open && v.score >= 1) {
      st.open = true;
      st.openedAtMillis = s.timeMillis;
      transition = "firing";
    } else if (st.open
        && (s.active == 0 || (v.score < 1 && s.oldestAgeSeconds < v.resolveAgeSeconds))) {
      st.open = false;
      transition = "resolved";
    }
    st.lastSampleMillis = Math.max(st.lastSampleMillis, s.timeMillis);
    state.update(st);
    out.collect(event(st, s, v, transition));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnomalyEvent> out)
      throws Exception {
    StallState st = state.value();
    if (st == null
        || !st.open
        || timestamp - st.lastSampleProcessingMillis < settings.staleMillis) {
      return;
    }
    st.open = false;
    state.update(st);
    String[] k = ctx.getCurrentKey().split("\\|", -1);
    InFlightSample last = new InFlightSample();
    last.service = k[0];
    last.provider = k[1];
    last.requestModel = k[2];
    last.operation = k[3];
    last.timeMillis = st.lastSampleMillis;
    Verdict v =
        new Verdict(
            0,
            st.durationQuantile(0.95),
            Double.NaN,
            "no in-flight samples for " + settings.staleMillis / 1000 + "s: resolved as stale");
    AnomalyEvent e = event(st, last, v, "resolved");
    e.observed = Double.NaN;
    out.collect(e);
  }

  /** The detector's reading of one sample. */
  record Verdict(double score, double baselineSeconds, double resolveAgeSeconds, String detail) {}

  Verdict evaluate(StallState st, InFlightSample s) {
    double a = s.oldestAgeSeconds;
    boolean hasBaseline = st.completed >= settings.minCalls;
    double p95 = hasBaseline ? st.durationQuantile(0.95) : Double.NaN;
    double minAge = settings.minAgeMillis / 1000.0;
    if (!hasBaseline || Double.isNaN(p95)) {
      double limit = Math.max(minAge, settings.noBaselineAgeMillis / 1000.0);
      double score = s.active > 0 ? a / limit : 0;
      return new Verdict(
          score,
          Double.NaN,
          limit / 2,
          String.format(
              Locale.ROOT,
              "%d in flight, oldest %.1fs (no latency baseline yet, limit %.0fs)",
              s.active,
              a,
              limit));
    }
    double ageLimit = Math.max(minAge, settings.ageFactor * p95);
    double ageScore = s.active > 0 ? a / ageLimit : 0;

    double rate = st.completionRate();
    double sinceLast =
        (s.timeMillis - st.lastCompletionEndMillis - settings.completionLagMillis) / 1000.0;
    double missed = Double.isNaN(rate) ? 0 : rate * Math.max(0, sinceLast);
    boolean completionsStopped = missed >= settings.missedCompletions;
    double usual = Double.isNaN(st.typicalInFlight) ? 0 : st.typicalInFlight;
    double pileLimit = Math.max(settings.pileupMin, settings.pileupFactor * usual);
    double pileScore = completionsStopped && a >= p95 ? s.active / pileLimit : 0;

    double score = Math.max(ageScore, pileScore);
    String detail =
        String.format(
            Locale.ROOT,
            "%d in flight (usual %.1f), oldest %.1fs; p95 latency %.2fs, age limit %.1fs; "
                + "last completion %.1fs before the sample (%.1f expected since)",
            s.active,
            usual,
            a,
            p95,
            ageLimit,
            (s.timeMillis - st.lastCompletionEndMillis) / 1000.0,
            missed);
    return new Verdict(score, p95, Math.max(minAge, 2 * p95), detail);
  }

  private static AnomalyEvent event(StallState st, InFlightSample s, Verdict v, String transition) {
    AnomalyEvent e = new AnomalyEvent();
    e.kind = KIND;
    e.service = s.service;
    e.provider = s.provider;
    // the labels the key's calls carry in every other series (response model, serving region)
    e.model = st.model != null ? st.model : s.requestModel;
    e.region = s.region != null ? s.region : st.region != null ? st.region : "unknown";
    e.operation = s.operation;
    e.windowEnd = s.timeMillis;
    e.windowStart = s.timeMillis - Math.round(s.oldestAgeSeconds * 1000);
    e.observed = s.oldestAgeSeconds;
    e.baseline = v.baselineSeconds;
    e.score = Double.isFinite(v.score) ? v.score : 0;
    e.active = st.open;
    e.transition = transition;
    e.detail = v.detail;
    return e;
  }

  private static StallState orNew(StallState st) {
    return st != null ? st : new StallState();
  }
}
