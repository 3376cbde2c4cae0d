package io.llmobserve.pipeline.enrich;

import io.llmobserve.pipeline.detect.CallRun;
import io.llmobserve.pipeline.detect.ChangeKind;
import io.llmobserve.pipeline.detect.CompletionBatch;
import io.llmobserve.pipeline.fold.CallFold;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.window.SpanAccumulator;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The label limits of {@link LabelLimiter}, applied to what each source subtask folded from its
 * calls ({@code fold.CallFolds}) instead of to every call: keyed by provider, with the same keyed
 * state ({@link LabelBounds}: the same state names, so the "label-limiter" uid restores either
 * form) and the same decisions for every record kind. Each record's labels are rewritten as each of
 * its calls' would have been: a window partial's (service, model, region, operation), a route
 * partial's (service, hosting provider, region, edge POP; absent ones become "unknown" here), a
 * run's labels and, for routing_change, its watched hosting provider and region, a completion
 * batch's (service, operation, model, region); then its key is derived from the new labels. A
 * partial or run of failures takes its request model's last response model (learnt from {@link
 * CallFold.Kind#RESPONSE_MODEL} records, which each subtask sends ahead of what it folded with
 * them).
 *
 * <p>Window partials leave on the main output; route partials, runs and completion batches on
 * {@link #ROUTES}, {@link #runs} and {@link #COMPLETIONS}, with their timestamps. Two records
 * folded apart may carry the same labels after this (values beyond a limit fold into "other"): the
 * windows and detectors downstream take them as they took several calls of one key.
 */
public class FoldLabelLimiter extends KeyedProcessFunction<String, CallFold, SpanAccumulator> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<RouteCount> ROUTES = new OutputTag<>("limited-routes") {};
  public static final OutputTag<CompletionBatch> COMPLETIONS =
      new OutputTag<>("limited-completions") {};
  private static final OutputTag<CallRun> DRIFT_RUNS = new OutputTag<>("limited-drift-runs") {};
  private static final OutputTag<CallRun> ROUTING_RUNS = new OutputTag<>("limited-routing-runs") {};
  private static final OutputTag<CallRun> RESIDENCY_RUNS =
      new OutputTag<>("limited-residency-runs") {};

  private final int maxModels;
  private final int maxServices;
  private final int maxRegions;
  private final Duration ttl;

  private transient LabelBounds bounds;

  public FoldLabelLimiter(int maxModels, int maxServices, int maxRegions, Duration ttl) {
    this.maxModels = maxModels;
    this.maxServices = maxServices;
    this.maxRegions = maxRegions;
    this.ttl = ttl;
  }

  /** The side output of a change detector's runs. */
  public static OutputTag<CallRun> runs(ChangeKind kind) {
    return kind == ChangeKind.MODEL_DRIFT ? DRIFT_RUNS : ROUTING_RUNS;
  }

  /** The side output of residency_violation's runs. */
  public static OutputTag<CallRun> residencyRuns() {
    return RESIDENCY_RUNS;
  }

  @Override
  public void open(OpenContext ctx) {
    bounds = new LabelBounds(getRuntimeContext(), maxModels, maxServices, maxRegions, ttl);
  }

  @Override
  public void processElement(CallFold f, Context ctx, Collector<SpanAccumulator> out)
      throws Exception {
    bounds.at(ctx.getCurrentKey(), ctx.timerService().currentProcessingTime());
    switch (f.kind) {
      case RESPONSE_MODEL -> bounds.responded(f.requestModel, f.responseModel);
      case SERIES -> {
        SpanAccumulator a = f.series;
        String model = resolved(a.model(), f.resolveFrom);
        a.relabel(
            bounds.service(a.service()),
            bounds.model(model),
            bounds.region(a.region()),
            bounds.operation(a.operation()));
        out.collect(a);
      }
      case ROUTE -> {
        RouteCount r = f.route;
        r.service = bounds.service(r.service);
        r.region = bounds.region(r.region);
        r.hostingProvider = RouteCount.orUnknown(bounds.hostingProvider(r.hostingProvider));
        r.edgePop = RouteCount.orUnknown(bounds.edgePop(r.edgePop));
        ctx.output(ROUTES, r);
      }
      case MODEL_DRIFT_RUN, ROUTING_CHANGE_RUN, RESIDENCY_RUN -> {
        CallRun r = f.run;
        r.model = bounds.model(resolved(r.model, r.resolveFrom));
        r.service = bounds.service(r.service);
        r.region = bounds.region(r.region);
        r.operation = bounds.operation(r.operation);
        if (f.kind == CallFold.Kind.RESIDENCY_RUN) {
          r.rekeyResidency();
          ctx.output(RESIDENCY_RUNS, r);
        } else {
          ChangeKind kind =
              f.kind == CallFold.Kind.MODEL_DRIFT_RUN
                  ? ChangeKind.MODEL_DRIFT
                  : ChangeKind.ROUTING_CHANGE;
          if (kind == ChangeKind.ROUTING_CHANGE) { // it watches the hosting provider and region
            r.first = bounds.hostingProvider(r.first);
            r.second = r.region;
          }
          r.rekey(kind);
          ctx.output(runs(kind), r);
        }
      }
      case COMPLETIONS -> {
        CompletionBatch b = f.completions;
        b.service = bounds.service(b.service);
        b.operation = bounds.operation(b.operation);
        if (b.model != null) {
          b.model = bounds.model(b.model);
        }
        if (b.region != null) {
          b.region = bounds.region(b.region);
        }
        b.rekey();
        ctx.output(COMPLETIONS, b);
      }
    }
  }

  private String resolved(String model, String resolveFrom) throws Exception {
    if (resolveFrom == null) {
      return model;
    }
    String known = bounds.lastResponseModel(resolveFrom);
    return known != null ? known : model;
  }
}
