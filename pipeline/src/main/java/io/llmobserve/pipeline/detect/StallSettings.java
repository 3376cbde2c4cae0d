package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.config.SettingValues;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the stall detector: the {@code detector.stall.*} keys (given here without the
 * "detector." prefix). Kept apart from {@link DetectorSettings} so the window detectors' settings
 * stay as they are; {@link #withoutStallKeys} hands them the rest.
 */
public final class StallSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String PREFIX = "stall.";

  public boolean enabled = true;

  /** Fire when the oldest call in flight is this many times the key's p95 latency. */
  public double ageFactor = 4;

  /** ... and at least this old (ms): a fast key's 4 x p95 is still no stall. */
  public long minAgeMillis = 2_000;

  /** Age that fires on a key with no latency baseline yet (ms). */
  public long noBaselineAgeMillis = 120_000;

  /** Completed calls before the key's latency baseline counts. */
  public int minCalls = 20;

  /** Pile-up: calls in flight at least this many times the usual number ... */
  public double pileupFactor = 3;

  /** ... and at least this many, while completions stopped. */
  public int pileupMin = 4;

  /** Completions count as stopped when this many were expected since the last one. */
  public double missedCompletions = 4;

  /** How much later than the agent's metrics its spans arrive (batch span processor delay, ms). */
  public long completionLagMillis = 5_000;

  /** Resolve (stale) when a key sends no in-flight samples for this long (ms, processing time). */
  public long staleMillis = 60_000;

  /** After firing this long, completed calls update the baseline again (a new normal, ms). */
  public long relearnMillis = 15 * 60_000;

  /** Per-key state expires after this long without a write (ms). */
  public long stateTtlMillis = 24 * 3_600_000L;

  public static StallSettings defaults() {
    return new StallSettings();
  }

  /**
   * @param props detector keys without "detector."; only "stall.*" ones are read
   */
  public static StallSettings fromMap(Map<String, String> props) {
    StallSettings s = defaults();
    for (Map.Entry<String, String> e : props.entrySet()) {
      String key = e.getKey().trim();
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String v = e.getValue() == null ? "" : e.getValue().trim();
      switch (key.substring(PREFIX.length())) {
        case "enabled" -> s.enabled = bool(key, v);
        case "age.factor" -> s.ageFactor = number(key, v, 1, 1e6);
        case "min.age" -> s.minAgeMillis = millis(key, v);
        case "no.baseline.age" -> s.noBaselineAgeMillis = millis(key, v);
        case "min.calls" -> s.minCalls = (int) number(key, v, 1, 1_000_000);
        case "pileup.factor" -> s.pileupFactor = number(key, v, 1, 1e6);
        case "pileup.min" -> s.pileupMin = (int) number(key, v, 1, 1_000_000);
        case "missed.completions" -> s.missedCompletions = number(key, v, 0.5, 1e6);
        case "completion.lag" -> s.completionLagMillis = millis(key, v);
        case "stale" -> s.staleMillis = Math.max(1, millis(key, v));
        case "relearn" -> s.relearnMillis = millis(key, v);
        case "state.ttl" -> s.stateTtlMillis = Math.max(1, millis(key, v));
        default -> throw new IllegalArgumentException("unknown detector setting detector." + key);
      }
    }
    return s;
  }

  /** The detector keys that are not the stall detector's (for DetectorSettings.fromMap). */
  public static Map<String, String> withoutStallKeys(Map<String, String> props) {
    Map<String, String> rest = new LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (!k.trim().startsWith(PREFIX)) {
            rest.put(k, v);
          }
        });
    return rest;
  }

  private static boolean bool(String key, String v) {
    return SettingValues.bool("detector." + key, v);
  }

  private static double number(String key, String v, double min, double max) {
    return SettingValues.number("detector." + key, v, min, max);
  }

  private static long millis(String key, String v) {
    return SettingValues.millis("detector." + key, v, 0);
  }
}
