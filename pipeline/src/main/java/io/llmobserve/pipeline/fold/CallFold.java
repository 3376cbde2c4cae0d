package io.llmobserve.pipeline.fold;

import io.llmobserve.pipeline.detect.CallRun;
import io.llmobserve.pipeline.detect.ChangeKind;
import io.llmobserve.pipeline.detect.CompletionBatch;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.window.SpanAccumulator;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What a source subtask folded from its calls ({@link CallFolds}), on its way to the label limiter
 * (keyed by {@link #provider}): one of a learnt response model, a window partial, a route partial,
 * an event detector's run, or a batch of completions. Serialized by {@link CallFoldTypeInfo}; never
 * kept in state.
 */
@TypeInfo(CallFoldTypeInfo.Factory.class)
public final class CallFold {
  /** The record kinds; {@link #ordinal()} is their tag on the wire. */
  public enum Kind {
    /** {@link #requestModel} was last answered by {@link #responseModel} (for the limiter). */
    RESPONSE_MODEL,
    /** {@link #series}, with {@link #resolveFrom}. */
    SERIES,
    /** {@link #route}. */
    ROUTE,
    MODEL_DRIFT_RUN,
    ROUTING_CHANGE_RUN,
    RESIDENCY_RUN,
    /** {@link #completions}. */
    COMPLETIONS;

    /** The run kind of a change detector. */
    public static Kind runOf(ChangeKind k) {
      return k == ChangeKind.MODEL_DRIFT ? MODEL_DRIFT_RUN : ROUTING_CHANGE_RUN;
    }

    public boolean isRun() {
      return this == MODEL_DRIFT_RUN || this == ROUTING_CHANGE_RUN || this == RESIDENCY_RUN;
    }
  }

  public Kind kind;

  /** The key of the label limiter (bounded by the provider limiter already). */
  public String provider;

  public String requestModel;
  public String responseModel;

  /** A partial of failures: the request model whose last response model is its model label. */
  public String resolveFrom;

  public SpanAccumulator series;
  public RouteCount route;

  /** A run of {@link Kind#MODEL_DRIFT_RUN}, {@link Kind#ROUTING_CHANGE_RUN} or residency. */
  public CallRun run;

  public CompletionBatch completions;

  public CallFold() {}

  public static CallFold responded(String provider, String requestModel, String responseModel) {
    CallFold f = new CallFold();
    f.kind = Kind.RESPONSE_MODEL;
    f.provider = provider;
    f.requestModel = requestModel;
    f.responseModel = responseModel;
    return f;
  }

  public static CallFold series(SpanAccumulator partial, String resolveFrom) {
    CallFold f = new CallFold();
    f.kind = Kind.SERIES;
    f.provider = partial.provider();
    f.series = partial;
    f.resolveFrom = resolveFrom;
    return f;
  }

  public static CallFold route(RouteCount partial) {
    CallFold f = new CallFold();
    f.kind = Kind.ROUTE;
    f.provider = partial.provider;
    f.route = partial;
    return f;
  }

  public static CallFold run(Kind kind, CallRun run) {
    CallFold f = new CallFold();
    f.kind = kind;
    f.provider = run.provider;
    f.run = run;
    return f;
  }

  public static CallFold completions(CompletionBatch batch) {
    CallFold f = new CallFold();
    f.kind = Kind.COMPLETIONS;
    f.provider = batch.provider;
    f.completions = batch;
    return f;
  }

  @Override
  public String toString() {
    return kind + " " + provider;
  }
}
