package io.llmobserve.pipeline.enrich;

import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
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
  }

  /** A failure (no response model) is labelled with the request model's last response model. */
  private void resolveModel(LlmSpan s) throws Exception {
    if (s.requestModel == null || s.requestModel.isEmpty()) {
      return;
    }
    if (s.responseModel != null && !s.responseModel.isEmpty()) {
      responseModels.put(s.requestModel, s.responseModel); // also refreshes the TTL
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
    resolveModel(s);
    s.model = admit(models, s.model, maxModels);
    s.service = admit(services, s.service, maxServices);
    s.region = admit(regions, s.region, maxRegions);
    s.operation = admit(operations, s.operation, 16);
    // Route labels of llm_calls_by_route; absent stays absent (null), for the routing detector.
    if (s.hostingProvider != null) {
      s.hostingProvider = admit(hostingProviders, s.hostingProvider, MAX_HOSTING_PROVIDERS);
    }
    if (s.edgePop != null) {
      s.edgePop = admit(edgePops, s.edgePop, maxRegions);
    }
    out.collect(s);
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
