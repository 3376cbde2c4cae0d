package io.llmobserve.pipeline.bench;

import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.detect.SpikeState;
import io.llmobserve.pipeline.detect.Verdict;
import io.llmobserve.pipeline.detect.WindowJudge;
import io.llmobserve.pipeline.detect.WindowKind;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;
import io.llmobserve.pipeline.window.WindowAggregates;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A fast-forwarded day of realistic LLM traffic, generated with the simulator's default profile
 * (600 ms median server time with log-normal jitter 0.25, 350 ms TTFT, 25 ms per streamed chunk of
 * 4 tokens; {@code simulator/Profile.defaults()}), run through the job's own window aggregation
 * ({@link WindowAggregates}: the job's accumulator, t-digests and finisher) and window detectors
 * ({@link WindowJudge}: what the detect-* operators run per key).
 *
 * <p>Everything a normal day has: a daily load curve (about 4 calls per 10 s window at night, 25 at
 * the afternoon peak), heavy-tailed latency (2% of calls 3-60 s, Pareto), 0.5% errors and 0.3%
 * 429s, a 10 minute deploy gap with no traffic at all, and latency and TTFT drifting up 30% over
 * six hours. Failed calls are labelled like the job's label-limiter labels them (the request
 * model's last response model), so they share their key's series.
 *
 * <p>Keys: {@code clean-*} see only that; {@code incident-<kind>} each get one 15-minute incident
 * of one kind: latency +10 s (the demo's spike), TTFT x4, output tokens per call x6 (414 ->
 * ~2,500), 30% errors, 28% 429s, call volume x5 (a runaway loop: cost).
 */
public final class TrafficDay {
  public static final long WINDOW_MS = 10_000;
  public static final long HOUR_MS = 3_600_000;

  /** 2026-01-05 00:00 UTC (a Monday). */
  public static final long DAY_START = 1_767_571_200_000L;

  /** One injected incident. */
  public record Incident(WindowKind kind, String key, long start, long end) {}

  /** Outcome for one incident. */
  public record Detection(Incident incident, long firingWindowEnd) {
    public boolean detected() {
      return firingWindowEnd > 0;
    }

    /** Event time from the incident's start to the end of the window that opened the alert. */
    public long delayMillis() {
      return firingWindowEnd - incident.start;
    }

    public long delayWindows() {
      return (delayMillis() + WINDOW_MS - 1) / WINDOW_MS;
    }
  }

  /** A firing that no incident explains. */
  public record FalseAlert(String key, WindowKind kind, long windowStart, String detail) {}

  public record Result(
      List<Detection> detections,
      List<FalseAlert> falseAlerts,
      int cleanKeys,
      double days,
      long windows,
      long spans) {
    public double falseAlertsPerKeyDay() {
      long onClean = falseAlerts.stream().filter(f -> f.key.startsWith("clean")).count();
      return onClean / (cleanKeys * days);
    }
  }

  /** -Dtraffic.trace=key/kind prints that detector's verdicts (debugging). */
  private static final String TRACE = System.getProperty("traffic.trace");

  private final long start;
  private final long hours;
  private final int cleanKeys;
  private final long seed;
  private final List<Incident> incidents = new ArrayList<>();

  /**
   * @param hours length of the run (24 = the benchmark's day); incidents are spread over the second
   *     half of it, after the detectors have seen a few hours
   */
  public TrafficDay(long hours, int cleanKeys, long seed) {
    this(0, hours, cleanKeys, seed);
  }

  /**
   * @param startHour hour of the day the run starts at (0 = midnight, the quietest time)
   */
  public TrafficDay(int startHour, long hours, int cleanKeys, long seed) {
    this.start = DAY_START + startHour * HOUR_MS;
    this.hours = hours;
    this.cleanKeys = cleanKeys;
    this.seed = seed;
    long first = start + hours * HOUR_MS / 3;
    long spacing = (hours * HOUR_MS * 2 / 3 - HOUR_MS) / WindowKind.values().length;
    int i = 0;
    for (WindowKind k : WindowKind.values()) {
      long start = first + i++ * spacing;
      start -= Math.floorMod(start, WINDOW_MS);
      incidents.add(new Incident(k, "incident-" + k.kind, start, start + 15 * 60_000));
    }
  }

  public List<Incident> incidents() {
    return incidents;
  }

  private double load(long t) {
    double hourOfDay = Math.floorMod(t, 24 * HOUR_MS) / (double) HOUR_MS;
    // Low at 04:00, peak at 16:00.
    double bump = 0.5 * (1 - Math.cos(2 * Math.PI * (hourOfDay - 4) / 24));
    return 0.4 + 2.1 * bump; // calls per second
  }

  private double drift(long t) {
    double h = (t - start) / (double) HOUR_MS;
    double from = hours * 0.25;
    return 1 + 0.3 * Math.max(0, Math.min(1, (h - from) / 6));
  }

  private boolean deployGap(long t) {
    long gapStart = start + hours * HOUR_MS / 4 + HOUR_MS / 2;
    return t >= gapStart && t < gapStart + 10 * 60_000;
  }

  private Incident incidentAt(String key, long t) {
    for (Incident i : incidents) {
      if (i.key.equals(key) && t >= i.start && t < i.end) {
        return i;
      }
    }
    return null;
  }

  public Result run(DetectorSettings settings) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < cleanKeys; i++) {
      keys.add("clean-" + i);
    }
    for (Incident i : incidents) {
      keys.add(i.key);
    }
    Map<WindowKind, WindowJudge> judges = new EnumMap<>(WindowKind.class);
    for (WindowKind k : WindowKind.values()) {
      if (settings.enabled(k)) {
        judges.put(k, new WindowJudge(k, settings));
      }
    }
    Map<String, Map<WindowKind, SpikeState>> states = new java.util.HashMap<>();
    Map<Incident, Long> firing = new java.util.HashMap<>();
    List<FalseAlert> falseAlerts = new ArrayList<>();
    Random rnd = new Random(seed);
    long end = start + hours * HOUR_MS;
    long windows = 0;
    long spans = 0;
    for (long t = start; t < end; t += WINDOW_MS) {
      for (String key : keys) {
        Incident inc = incidentAt(key, t);
        List<LlmSpan> calls = calls(rnd, key, t, inc);
        if (calls.isEmpty()) {
          continue;
        }
        spans += calls.size();
        windows++;
        WindowAggregate w = WindowAggregates.of(calls, t, t + WINDOW_MS);
        Map<WindowKind, SpikeState> st =
            states.computeIfAbsent(key, k -> new EnumMap<>(WindowKind.class));
        for (Map.Entry<WindowKind, WindowJudge> j : judges.entrySet()) {
          SpikeState s = st.computeIfAbsent(j.getKey(), k -> j.getValue().newState());
          Verdict v = j.getValue().judge(s, w);
          if (v != null && TRACE != null && TRACE.equals(key + "/" + j.getKey().kind)) {
            System.out.printf(
                Locale.ROOT,
                "trace %s +%.3fh calls=%d observed=%.4g baseline=%.4g scale=%.3g evidence=%.2f %s%n",
                TRACE,
                (t - DAY_START) / 3.6e6,
                w.calls,
                v.observed,
                v.baseline,
                v.scale,
                v.score,
                v.transition);
          }
          if (v == null || !v.opened()) {
            continue;
          }
          Incident explained = explains(key, j.getKey(), t);
          if (explained != null) {
            firing.putIfAbsent(explained, t + WINDOW_MS);
          } else if (!secondaryOf(key, j.getKey(), t)) {
            falseAlerts.add(
                new FalseAlert(
                    key,
                    j.getKey(),
                    t,
                    String.format(
                        Locale.ROOT,
                        "observed %.4g baseline %.4g evidence %.2f",
                        v.observed,
                        v.baseline,
                        v.score)));
          }
        }
      }
    }
    List<Detection> detections = new ArrayList<>();
    for (Incident i : incidents) {
      detections.add(new Detection(i, firing.getOrDefault(i, 0L)));
    }
    return new Result(detections, falseAlerts, cleanKeys, hours / 24.0, windows, spans);
  }

  /**
   * The incident of this kind on this key that a firing at t belongs to (until 3 windows after its
   * end).
   */
  private Incident explains(String key, WindowKind kind, long t) {
    for (Incident i : incidents) {
      if (i.key.equals(key) && i.kind == kind && t >= i.start && t < i.end + 3 * WINDOW_MS) {
        return i;
      }
    }
    return null;
  }

  /**
   * A firing of another kind on an incident key during its incident or shortly after (a five times
   * higher call volume does cost more; six times the output tokens do too): not false, the incident
   * is real; reported by the benchmark separately from the clean keys' count.
   */
  private boolean secondaryOf(String key, WindowKind kind, long t) {
    for (Incident i : incidents) {
      if (i.key.equals(key) && t >= i.start && t < i.end + 30 * WINDOW_MS) {
        // Six times the output tokens also cost more and stream for longer.
        return i.kind == WindowKind.TOKEN_BURN
            && (kind == WindowKind.COST_SPIKE || kind == WindowKind.LATENCY_SPIKE);
      }
    }
    return false;
  }

  private List<LlmSpan> calls(Random rnd, String key, long t, Incident inc) {
    List<LlmSpan> out = new ArrayList<>();
    if (deployGap(t)) {
      return out;
    }
    double rate = load(t) * (WINDOW_MS / 1000.0);
    if (inc != null && inc.kind == WindowKind.COST_SPIKE) {
      rate *= 5;
    }
    int n = poisson(rnd, rate);
    double drift = drift(t);
    for (int c = 0; c < n; c++) {
      LlmSpan s = new LlmSpan();
      s.service = key;
      s.provider = "openai";
      s.requestModel = "gpt-4o-mini";
      s.region = "eastus";
      s.operation = "chat";
      s.stream = rnd.nextDouble() < 0.6;
      double u = rnd.nextDouble();
      double errorShare = inc != null && inc.kind == WindowKind.ERROR_BURST ? 0.30 : 0.005;
      double throttleShare = inc != null && inc.kind == WindowKind.THROTTLING ? 0.28 : 0.003;
      long end = t + (long) (rnd.nextDouble() * (WINDOW_MS - 1));
      if (u < errorShare + throttleShare) {
        boolean throttled = u >= errorShare;
        s.outcome = throttled ? "throttled" : "error";
        s.statusCode = throttled ? 429 : 500;
        s.errorType = String.valueOf(s.statusCode);
        s.durationSeconds = 0.05 + 0.2 * rnd.nextDouble();
        // As the label-limiter labels a failure: the request model's last response model.
        s.model = "gpt-4o-mini-2024-07-18";
      } else {
        s.outcome = "ok";
        s.statusCode = 200;
        s.responseModel = "gpt-4o-mini-2024-07-18";
        s.model = s.responseModel;
        s.inputTokens = Math.round(800 * Math.exp(0.6 * rnd.nextGaussian()));
        double outputFactor = inc != null && inc.kind == WindowKind.TOKEN_BURN ? 6 : 1;
        s.outputTokens = Math.round(outputFactor * 400 * Math.exp(0.5 * rnd.nextGaussian()));
        double server = 0.6 * Math.exp(0.25 * rnd.nextGaussian()) * drift;
        if (rnd.nextDouble() < 0.02) {
          server += Math.min(60, 3 * Math.pow(1 - rnd.nextDouble(), -1 / 1.5)); // heavy tail
        }
        if (s.stream) {
          double ttft = 0.35 * Math.exp(0.25 * rnd.nextGaussian()) * drift;
          if (inc != null && inc.kind == WindowKind.TTFT_REGRESSION) {
            ttft *= 4;
          }
          s.ttftSeconds = ttft;
          server = ttft + s.outputTokens / 4.0 * 0.025;
        }
        if (inc != null && inc.kind == WindowKind.LATENCY_SPIKE) {
          server += 10; // the demo's injected +10 s
        }
        s.durationSeconds = server;
        s.costUsd = s.inputTokens * 0.15e-6 + s.outputTokens * 0.6e-6;
      }
      s.endEpochNanos = end * 1_000_000L;
      s.startEpochNanos = s.endEpochNanos - (long) (s.durationSeconds * 1e9);
      out.add(s);
    }
    return out;
  }

  private static int poisson(Random rnd, double mean) {
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
