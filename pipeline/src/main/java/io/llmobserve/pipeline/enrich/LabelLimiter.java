package io.llmobserve.pipeline.enrich;

import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bounds label cardinality per provider (the key): at most N distinct models, services and regions
 * each (edge POPs: as many as regions; hosting providers: 16); values beyond the limit fold into
 * "other". Admitted values expire after a TTL without traffic so a model retired last month frees
 * its slot. Keyed state, so the decision is the same on every restart and across parallel
 * instances. The job applies these limits to what each subtask folded from its calls ({@link
 * FoldLabelLimiter}); this per-call form is the reference it is tested against. Both keep their
 * state and decisions in {@link LabelBounds}.
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
  static final int MAX_HOSTING_PROVIDERS = LabelBounds.MAX_HOSTING_PROVIDERS;

  private final int maxModels;
  private final int maxServices;
  private final int maxRegions;
  private final Duration ttl;

  private transient LabelBounds bounds;

  public LabelLimiter(int maxModels, int maxServices, int maxRegions, Duration ttl) {
    this.maxModels = maxModels;
    this.maxServices = maxServices;
    this.maxRegions = maxRegions;
    this.ttl = ttl;
  }

  @Override
  public void open(OpenContext ctx) {
    bounds = new LabelBounds(getRuntimeContext(), maxModels, maxServices, maxRegions, ttl);
  }

  @Override
  public void processElement(LlmSpan s, Context ctx, Collector<LlmSpan> out) throws Exception {
    bounds.at(ctx.getCurrentKey(), ctx.timerService().currentProcessingTime());
    String resolveFrom = s.resolvesModelFrom();
    if (resolveFrom != null) { // a failure: its request model's last response model
      String known = bounds.lastResponseModel(resolveFrom);
      if (known != null) {
        s.model = known;
      }
    } else if (s.requestModel != null
        && !s.requestModel.isEmpty()
        && s.responseModel != null
        && !s.responseModel.isEmpty()) {
      bounds.responded(s.requestModel, s.responseModel);
    }
    s.model = bounds.model(s.model);
    s.service = bounds.service(s.service);
    s.region = bounds.region(s.region);
    s.operation = bounds.operation(s.operation);
    s.hostingProvider = bounds.hostingProvider(s.hostingProvider);
    s.edgePop = bounds.edgePop(s.edgePop);
    out.collect(s);
  }
}
