package io.llmobserve.pipeline.enrich;

import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bounds label cardinality per provider (the key): at most N distinct models, services and regions
 * each (edge POPs: as many as regions; hosting providers: 16); values beyond the limit fold into
 * "other". Admitted values expire after a TTL without traffic so a model retired last month frees
 * its slot. Keyed state, so the decision is the same on every restart and across parallel
 * instances.
 *
 * <p>Also keeps a call's success and failure in ONE series: a failed or throttled call has no
 * response model, so it takes the last response model this provider returned for the same request
 * model ({@code gpt-4o-mini} -> {@code gpt-4o-mini-2024-07-18}); without that, errors and 429s
 * would form a series of failures only, whose error share is always 100%, and the series carrying
 * the traffic would never see its error share rise. Until a success has been seen, the request
 * model is the label (DESIGN.md, metric contract).
 */
public class LabelLimiter extends KeyedProcessFunction<String, LlmSpan, LlmSpan> {
  private static final long serialVersionUID = 1L;
  public static final String OTHER = "other";

  /** Hosting providers per provider (azure, aws, gcp, cloudflare, self-hosted, ... are a few). */
  static final int MAX_HOSTING_PROVIDERS = 16;

  private final int maxModels;
  private final int maxServices;
  private final int maxRegions;
  private final Duration ttl;

  private transient MapState<String, Boolean> models;
  private transient MapState<String, Boolean> services;
  private transient MapState<String, Boolean> regions;
  private transient MapState<String, Boolean> operations;
  private transient MapState<String, Boolean> hostingProviders;
  private transient MapState<String, Boolean> edgePops;

  /** request model -> last response model returned for it (this provider). */
  private transient MapState<String, String> responseModels;

  /**
   * What keyed state said recently, per provider: lets a label seen a moment ago skip the state
   * look-ups and the TTL refresh write (the hot path runs for every call). An entry is trusted for
   * {@link #recheckMillis} (1% of the TTL, at most a minute): within that time state cannot have
   * expired it, so decisions are the ones state would give, and a label in use may expire at most
   * that much before a full TTL without traffic. Not checkpointed; rebuilt from state.
   */
  private transient Map<String, Recent> recent;

  private transient long recheckMillis;

  /** Per provider: admitted label values for each kind, and last response models. */
  private static final class Recent {
    final List<Map<String, Decision>> labels = new ArrayList<>();
    final Map<String, Decision> responseModels = new HashMap<>();

    Map<String, Decision> kind(int k) {
      while (labels.size() <= k) {
        labels.add(new HashMap<>());
      }
      return labels.get(k);
    }
  }

  /** A cached decision: the label as admitted and until when it may be trusted. */
  private record Decision(String label, long until) {}

  private static final int MODELS = 0;
  private static final int SERVICES = 1;
  private static final int REGIONS = 2;
  private static final int OPERATIONS = 3;
  private static final int HOSTING = 4;
  private static final int EDGE_POPS = 5;

  public LabelLimiter(int maxModels, int maxServices, int maxRegions, Duration ttl) {
    this.maxModels = maxModels;
    this.maxServices = maxServices;
    this.maxRegions = maxRegions;
    this.ttl = ttl;
  }

  @Override
  public void open(OpenContext ctx) {
    models = getRuntimeContext().getMapState(descriptor("models"));
    services = getRuntimeContext().getMapState(descriptor("services"));
    regions = getRuntimeContext().getMapState(descriptor("regions"));
    operations = getRuntimeContext().getMapState(descriptor("operations"));
    hostingProviders = getRuntimeContext().getMapState(descriptor("hosting-providers"));
    edgePops = getRuntimeContext().getMapState(descriptor("edge-pops"));
    MapStateDescriptor<String, String> rm =
        new MapStateDescriptor<>("response-models", Types.STRING, Types.STRING);
    rm.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    responseModels = getRuntimeContext().getMapState(rm);
    recent = new HashMap<>();
    recheckMillis = Math.max(1, Math.min(ttl.toMillis() / 100, 60_000));
  }

  /** A failure (no response model) is labelled with the request model's last response model. */
  private void resolveModel(LlmSpan s, Recent r, long now) throws Exception {
    if (s.requestModel == null || s.requestModel.isEmpty()) {
      return;
    }
    if (s.responseModel != null && !s.responseModel.isEmpty()) {
      Decision d = r.responseModels.get(s.requestModel);
      if (d != null && d.until > now && d.label.equals(s.responseModel)) {
        return; // written a moment ago
      }
      responseModels.put(s.requestModel, s.responseModel); // also refreshes the TTL
      bounded(r.responseModels)
          .put(s.requestModel, new Decision(s.responseModel, now + recheckMillis));
    } else if (s.model == null || s.model.equals(s.requestModel)) {
      String known = responseModels.get(s.requestModel);
      if (known != null) {
        s.model = known;
      }
    }
  }

  private MapStateDescriptor<String, Boolean> descriptor(String name) {
    MapStateDescriptor<String, Boolean> d =
        new MapStateDescriptor<>(name, Types.STRING, Types.BOOLEAN);
    // Reads refresh the TTL: a value in use never expires.
    d.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    return d;
  }

  @Override
  public void processElement(LlmSpan s, Context ctx, Collector<LlmSpan> out) throws Exception {
    Recent r = recent.computeIfAbsent(ctx.getCurrentKey(), k -> new Recent());
    long now = System.currentTimeMillis();
    resolveModel(s, r, now);
    s.model = admit(r.kind(MODELS), now, models, s.model, maxModels);
    s.service = admit(r.kind(SERVICES), now, services, s.service, maxServices);
    s.region = admit(r.kind(REGIONS), now, regions, s.region, maxRegions);
    s.operation = admit(r.kind(OPERATIONS), now, operations, s.operation, 16);
    // Route labels of llm_calls_by_route; absent stays absent (null), for the routing detector.
    if (s.hostingProvider != null) {
      s.hostingProvider =
          admit(r.kind(HOSTING), now, hostingProviders, s.hostingProvider, MAX_HOSTING_PROVIDERS);
    }
    if (s.edgePop != null) {
      s.edgePop = admit(r.kind(EDGE_POPS), now, edgePops, s.edgePop, maxRegions);
    }
    out.collect(s);
  }

  private String admit(
      Map<String, Decision> recentOfKind,
      long now,
      MapState<String, Boolean> seen,
      String value,
      int max)
      throws Exception {
    Decision d = recentOfKind.get(value);
    if (d != null && d.until > now) {
      return d.label;
    }
    String label = admit(seen, value, max);
    if (label.equals(value)) { // admitted; a folded value asks state again (a slot may free up)
      bounded(recentOfKind).put(value, new Decision(label, now + recheckMillis));
    }
    return label;
  }

  /** A flood of distinct request models must not grow the cache without bound. */
  private static Map<String, Decision> bounded(Map<String, Decision> m) {
    if (m.size() >= 1024) {
      m.clear();
    }
    return m;
  }

  private static String admit(MapState<String, Boolean> seen, String value, int max)
      throws Exception {
    if (seen.contains(value)) {
      seen.put(value, Boolean.TRUE); // refresh TTL
      return value;
    }
    int n = 0;
    for (String ignored : seen.keys()) {
      if (++n >= max) {
        return OTHER;
      }
    }
    seen.put(value, Boolean.TRUE);
    return value;
  }
}
