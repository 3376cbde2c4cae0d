package io.llmobserve.pipeline.enrich;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The label limiter's decisions and their keyed state (keyed by provider), shared by the per-call
 * {@link LabelLimiter} and the {@link FoldLabelLimiter} of the job, so both keep the same state
 * under the same names (a savepoint of either restores into the other): at most N distinct values
 * per label kind and provider, the rest "other"; admitted values expire after a TTL without use;
 * the last response model per request model.
 *
 * <p>Not thread-safe; one per operator instance. Call {@link #at} for each record first.
 */
final class LabelBounds {
  /** Hosting providers per provider (azure, aws, gcp, cloudflare, self-hosted, ... are a few). */
  static final int MAX_HOSTING_PROVIDERS = 16;

  static final int MAX_OPERATIONS = 16;

  private static final int MODELS = 0;
  private static final int SERVICES = 1;
  private static final int REGIONS = 2;
  private static final int OPERATIONS = 3;
  private static final int HOSTING = 4;
  private static final int EDGE_POPS = 5;

  private final int maxModels;
  private final int maxServices;
  private final int maxRegions;

  private final MapState<String, Boolean> models;
  private final MapState<String, Boolean> services;
  private final MapState<String, Boolean> regions;
  private final MapState<String, Boolean> operations;
  private final MapState<String, Boolean> hostingProviders;
  private final MapState<String, Boolean> edgePops;

  /** request model -> last response model returned for it (this provider). */
  private final MapState<String, String> responseModels;

  /**
   * What keyed state said recently, per provider: lets a label seen a moment ago skip the state
   * look-ups and the TTL refresh write (the per-call path runs this for every call). An entry is
   * trusted for {@link #recheckMillis} (1% of the TTL, at most a minute): within that time state
   * cannot have expired it, so decisions are the ones state would give, and a label in use may
   * expire at most that much before a full TTL without traffic. Not checkpointed; rebuilt from
   * state.
   */
  private final Map<String, Recent> recent = new HashMap<>();

  private final long recheckMillis;

  private Recent current;
  private long now;

  /** Per provider: admitted label values for each kind, and last response models. */
  private static final class Recent {
    final List<Map<String, Decision>> labels = new ArrayList<>();
    final Map<String, Decision> responseModels = new HashMap<>();

    /**
     * Per kind, at least as many values as state holds (-1: not counted yet). Values leave state
     * only by expiring, so a bound below the limit admits a new value without counting them all:
     * with thousands of services per provider, counting on every new one was quadratic.
     */
    final int[] heldAtMost = {-1, -1, -1, -1, -1, -1};

    Map<String, Decision> kind(int k) {
      while (labels.size() <= k) {
        labels.add(new HashMap<>());
      }
      return labels.get(k);
    }
  }

  /** A cached decision: the label as admitted and until when it may be trusted. */
  private record Decision(String label, long until) {}

  LabelBounds(RuntimeContext rc, int maxModels, int maxServices, int maxRegions, Duration ttl) {
    this.maxModels = maxModels;
    this.maxServices = maxServices;
    this.maxRegions = maxRegions;
    models = rc.getMapState(descriptor("models", ttl));
    services = rc.getMapState(descriptor("services", ttl));
    regions = rc.getMapState(descriptor("regions", ttl));
    operations = rc.getMapState(descriptor("operations", ttl));
    hostingProviders = rc.getMapState(descriptor("hosting-providers", ttl));
    edgePops = rc.getMapState(descriptor("edge-pops", ttl));
    MapStateDescriptor<String, String> rm =
        new MapStateDescriptor<>("response-models", Types.STRING, Types.STRING);
    rm.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    responseModels = rc.getMapState(rm);
    recheckMillis = Math.max(1, Math.min(ttl.toMillis() / 100, 60_000));
  }

  private static MapStateDescriptor<String, Boolean> descriptor(String name, Duration ttl) {
    MapStateDescriptor<String, Boolean> d =
        new MapStateDescriptor<>(name, Types.STRING, Types.BOOLEAN);
    // Reads refresh the TTL: a value in use never expires. No cleanup in the background: the
    // heap backend's incremental cleanup copies a whole map (all of a provider's services) on
    // each step, which made every record cost O(values). Expired values go when the limiter
    // counts (iterating drops them), and it never holds more than the limit (see admitInState).
    d.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .disableCleanupInBackground()
            .cleanupFullSnapshot()
            .build());
    return d;
  }

  /**
   * The provider (the current key) of the next decisions and the processing time they are made at.
   */
  void at(String provider, long nowMillis) {
    current = recent.computeIfAbsent(provider, k -> new Recent());
    now = nowMillis;
  }

  /** {@code requestModel} was answered by {@code responseModel} (both non-empty). */
  void responded(String requestModel, String responseModel) throws Exception {
    Decision d = current.responseModels.get(requestModel);
    if (d != null && d.until > now && d.label.equals(responseModel)) {
      return; // written a moment ago
    }
    responseModels.put(requestModel, responseModel); // also refreshes the TTL
    bounded(current.responseModels, 1024)
        .put(requestModel, new Decision(responseModel, now + recheckMillis));
  }

  /** The last response model returned for {@code requestModel}, or null if none is known. */
  String lastResponseModel(String requestModel) throws Exception {
    return responseModels.get(requestModel);
  }

  String model(String v) throws Exception {
    return admit(MODELS, models, v, maxModels);
  }

  String service(String v) throws Exception {
    return admit(SERVICES, services, v, maxServices);
  }

  String region(String v) throws Exception {
    return admit(REGIONS, regions, v, maxRegions);
  }

  String operation(String v) throws Exception {
    return admit(OPERATIONS, operations, v, MAX_OPERATIONS);
  }

  /** A route label of llm_calls_by_route; absent stays absent (null), for the routing detector. */
  String hostingProvider(String v) throws Exception {
    return v == null ? null : admit(HOSTING, hostingProviders, v, MAX_HOSTING_PROVIDERS);
  }

  /** Edge POPs share the region bound; absent stays absent (null). */
  String edgePop(String v) throws Exception {
    return v == null ? null : admit(EDGE_POPS, edgePops, v, maxRegions);
  }

  private String admit(int kind, MapState<String, Boolean> seen, String value, int max)
      throws Exception {
    Map<String, Decision> recentOfKind = current.kind(kind);
    Decision d = recentOfKind.get(value);
    if (d != null && d.until > now) {
      return d.label;
    }
    String label = admitInState(kind, seen, value, max);
    if (label.equals(value)) { // admitted; a folded value asks state again (a slot may free up)
      bounded(recentOfKind, Math.max(1024, max))
          .put(value, new Decision(label, now + recheckMillis));
    }
    return label;
  }

  /**
   * A flood of distinct values must not grow the cache without bound; up to the label's limit it
   * holds every admitted value (a smaller cache than the limit would be cleared over and over).
   */
  private static Map<String, Decision> bounded(Map<String, Decision> m, int max) {
    if (m.size() >= max) {
      m.clear();
    }
    return m;
  }

  private String admitInState(int kind, MapState<String, Boolean> seen, String value, int max)
      throws Exception {
    if (seen.contains(value)) {
      seen.put(value, Boolean.TRUE); // refresh TTL
      return value;
    }
    int held = current.heldAtMost[kind];
    if (held < 0 || held >= max) {
      held = count(seen, max); // some may have expired since: count them
    }
    if (held >= max) {
      current.heldAtMost[kind] = held;
      return LabelLimiter.OTHER;
    }
    seen.put(value, Boolean.TRUE);
    current.heldAtMost[kind] = held + 1;
    return value;
  }

  /** Values held in {@code seen}, counted up to {@code max}. */
  private static int count(MapState<String, Boolean> seen, int max) throws Exception {
    int n = 0;
    for (String ignored : seen.keys()) {
      if (++n >= max) {
        break;
      }
    }
    return n;
  }
}
