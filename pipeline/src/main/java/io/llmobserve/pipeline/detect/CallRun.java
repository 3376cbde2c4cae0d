package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.LlmSpan;
import java.util.Objects;

/**
 * Consecutive calls of one event-detector key that the detector cannot tell apart (same labels,
 * same watched values): model_drift, routing_change and residency_violation take one of these per
 * run instead of one record per call ({@link CallRunCombiner}). A Flink POJO.
 */
public class CallRun {
  /** The detector's key ({@link ChangeKind#key}, {@link ResidencyFunction#key}). */
  public String key;

  public String service;
  public String provider;
  public String model;
  public String region;
  public String operation;

  /**
   * The watched values ({@link ChangeKind#first}, {@link ChangeKind#second}); null for residency.
   */
  public String first;

  public String second;

  /**
   * What the label limiter needs of a run folded before it ({@code fold.CallFolds}) to relabel it
   * as it would each call: the call's request model and server address (parts of the key), and the
   * request model whose last response model becomes the model label (null: the model label stays;
   * see {@link LlmSpan#resolvesModelFrom}).
   */
  public String requestModel;

  public String serverAddress;
  public String resolveFrom;

  /** Calls in the run (at least 1). */
  public long count;

  /** Event time of the run's first call (in arrival order), ms. */
  public long firstMillis;

  /** Event time of the run's last call (in arrival order), ms. */
  public long lastMillis;

  /** Latest event time of the run's calls, ms. */
  public long maxMillis;

  public CallRun() {}

  /** A run of one call (what the detector did per call before runs). */
  public static CallRun of(String key, LlmSpan s, String first, String second) {
    CallRun r = new CallRun();
    r.key = key;
    r.service = s.service;
    r.provider = s.provider;
    r.model = s.model;
    r.region = s.region;
    r.operation = s.operation;
    r.first = first;
    r.second = second;
    r.requestModel = s.requestModel;
    r.serverAddress = s.serverAddress;
    r.resolveFrom = s.resolvesModelFrom();
    r.count = 1;
    long t = s.eventTimeMillis();
    r.firstMillis = t;
    r.lastMillis = t;
    r.maxMillis = t;
    return r;
  }

  /** Whether {@code s} continues this run: same labels and watched values. */
  boolean continuedBy(LlmSpan s, String first, String second) {
    return Objects.equals(service, s.service)
        && Objects.equals(provider, s.provider)
        && Objects.equals(model, s.model)
        && Objects.equals(region, s.region)
        && Objects.equals(operation, s.operation)
        && Objects.equals(this.first, first)
        && Objects.equals(this.second, second)
        && Objects.equals(resolveFrom, s.resolvesModelFrom());
  }

  /** The key of {@code kind} from this run's labels (after the label limiter rewrote them). */
  public void rekey(ChangeKind kind) {
    key = kind.key(service, provider, requestModel != null ? requestModel : model, serverAddress);
  }

  /** The residency_violation key from this run's labels. */
  public void rekeyResidency() {
    key = ResidencyFunction.key(service, provider, region);
  }

  void add(LlmSpan s) {
    long t = s.eventTimeMillis();
    count++;
    lastMillis = t;
    maxMillis = Math.max(maxMillis, t);
  }

  SeriesLabels labels() {
    SeriesLabels l = new SeriesLabels();
    l.service = service;
    l.provider = provider;
    l.model = model;
    l.region = region;
    l.operation = operation;
    return l;
  }
}
