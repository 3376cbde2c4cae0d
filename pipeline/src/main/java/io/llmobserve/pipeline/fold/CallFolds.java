package io.llmobserve.pipeline.fold;

import io.llmobserve.pipeline.detect.CallRun;
import io.llmobserve.pipeline.detect.CallRunCombiner;
import io.llmobserve.pipeline.detect.ChangeKind;
import io.llmobserve.pipeline.detect.CompletionBatch;
import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.model.LabelKey;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.window.SpanAccumulator;
import io.llmobserve.pipeline.window.WindowPartials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Every per-call fold of the job in one operator ("call-folds", chained to the decoded calls at the
 * source's parallelism, before the label limits), so no call crosses a shuffle: the window and
 * route partials ({@link WindowPartials}), the event detectors' runs and the stall detector's
 * completion batches ({@link CallRunCombiner}'s folders), and the response model each request model
 * was last answered with (what the label limiter needs to label failures). Everything leaves as a
 * {@link CallFold} for the {@code FoldLabelLimiter}, which applies the label limits to the folded
 * records as it did to each call.
 *
 * <p>When each kind leaves is as in the operators it replaces ({@code WindowPreAggregator}, {@link
 * CallRunCombiner}): a window's partials when the watermark passes its end; runs and batches before
 * every watermark and at most {@link CallRunCombiner#MAX_DELAY_MILLIS} after they open; everything
 * before each checkpoint barrier (no state). Learnt response models leave before anything else that
 * leaves with them, so the limiter labels a partial of failures with what the same subtask learnt
 * before it.
 */
public final class CallFolds extends AbstractStreamOperator<CallFold>
    implements OneInputStreamOperator<LlmSpan, CallFold> {
  private static final long serialVersionUID = 1L;

  private final Duration window;
  private final List<ChangeKind> changeKinds;
  private final Map<String, Set<String>> residencyAllowed;
  private final boolean stall;

  private transient WindowPartials partials;
  private transient WindowPartials.Sink partialSink;
  private transient List<CallRunCombiner.Folder<CallRun>> runFolders;
  private transient List<CallFold.Kind> runKinds;
  private transient CallRunCombiner.Folder<CompletionBatch> completions;
  private transient LabelKey responseProbe;

  /** (provider, request model) -> the response model last seen, since the last hand-on. */
  private transient Map<LabelKey, CallFold> responded;

  private transient long watermark;
  private transient boolean flushScheduled;

  /**
   * @param settings which event detectors run (their runs are folded)
   * @param stall whether the stall detector runs (completions are folded)
   */
  public CallFolds(Duration window, DetectorSettings settings, boolean stall) {
    this.window = window;
    List<ChangeKind> kinds = new ArrayList<>();
    if (settings.driftEnabled()) {
      kinds.add(ChangeKind.MODEL_DRIFT);
    }
    if (settings.routingEnabled()) {
      kinds.add(ChangeKind.ROUTING_CHANGE);
    }
    this.changeKinds = List.copyOf(kinds);
    this.residencyAllowed =
        settings.residencyEnabled() ? Map.copyOf(settings.residencyAllowed()) : null;
    this.stall = stall;
  }

  @Override
  public void open() throws Exception {
    super.open();
    partials = new WindowPartials(window, true);
    partialSink =
        new WindowPartials.Sink() {
          @Override
          public void series(SpanAccumulator partial, String resolveFrom, long timestamp) {
            emit(CallFold.series(partial, resolveFrom), timestamp);
          }

          @Override
          public void route(RouteCount partial, long timestamp) {
            emit(CallFold.route(partial), timestamp);
          }
        };
    runFolders = new ArrayList<>();
    runKinds = new ArrayList<>();
    for (ChangeKind k : changeKinds) {
      runFolders.add(CallRunCombiner.changeRuns(k));
      runKinds.add(CallFold.Kind.runOf(k));
    }
    if (residencyAllowed != null) {
      runFolders.add(CallRunCombiner.residencyRuns(residencyAllowed, true));
      runKinds.add(CallFold.Kind.RESIDENCY_RUN);
    }
    completions = stall ? CallRunCombiner.completions() : null;
    responseProbe = new LabelKey();
    responded = new LinkedHashMap<>();
    watermark = Long.MIN_VALUE;
  }

  @Override
  public void processElement(StreamRecord<LlmSpan> record) {
    LlmSpan s = record.getValue();
    boolean opened = learnResponseModel(s);
    partials.add(s, record.getTimestamp(), watermark, partialSink);
    for (int i = 0; i < runFolders.size(); i++) {
      opened |= runFolders.get(i).fold(s);
    }
    if (completions != null) {
      opened |= completions.fold(s);
    }
    if (opened) {
      if (openRecords() >= CallRunCombiner.MAX_OPEN) {
        emitFolded();
      } else if (!flushScheduled) {
        flushScheduled = true;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
            .registerTimer(
                now + CallRunCombiner.MAX_DELAY_MILLIS,
                t -> {
                  flushScheduled = false;
                  emitFolded();
                });
      }
    }
  }

  /** Returns true when the call taught something new. */
  private boolean learnResponseModel(LlmSpan s) {
    if (s.requestModel == null
        || s.requestModel.isEmpty()
        || s.responseModel == null
        || s.responseModel.isEmpty()) {
      return false;
    }
    LabelKey p = responseProbe.set(s.provider, s.requestModel, null, null, null);
    CallFold f = responded.get(p);
    if (f == null) {
      responded.put(p.copy(), CallFold.responded(s.provider, s.requestModel, s.responseModel));
      return true;
    }
    if (!f.responseModel.equals(s.responseModel)) {
      // a change: it leaves after what was learnt before (the limiter keeps the last)
      responded.remove(p);
      responded.put(p.copy(), CallFold.responded(s.provider, s.requestModel, s.responseModel));
    }
    return false;
  }

  private int openRecords() {
    int n = responded.size();
    for (int i = 0; i < runFolders.size(); i++) {
      n = Math.max(n, runFolders.get(i).openRecords());
    }
    return completions == null ? n : Math.max(n, completions.openRecords());
  }

  /** Anything that leaves takes the learnt response models with it, ahead of it. */
  private void emit(CallFold f, long timestamp) {
    if (!responded.isEmpty()) {
      emitResponseModels();
    }
    output.collect(new StreamRecord<>(f, timestamp));
  }

  private void emitResponseModels() {
    for (CallFold f : responded.values()) {
      output.collect(new StreamRecord<>(f));
    }
    responded.clear();
  }

  /** Learnt response models, runs and completion batches. */
  private void emitFolded() {
    emitResponseModels();
    for (int i = 0; i < runFolders.size(); i++) {
      CallFold.Kind kind = runKinds.get(i);
      runFolders.get(i).drain(r -> emit(CallFold.run(kind, r), r.lastMillis));
    }
    if (completions != null) {
      completions.drain(b -> emit(CallFold.completions(b), b.maxEndMillis));
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    watermark = Math.max(watermark, mark.getTimestamp());
    emitFolded();
    partials.emitUpTo(watermark, partialSink);
    super.processWatermark(mark);
  }

  /** Before the barrier: the checkpoint finds every call in the keyed operators' state. */
  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    emitAll();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    emitAll();
    super.finish();
  }

  private void emitAll() {
    emitFolded();
    partials.emitUpTo(Long.MAX_VALUE, partialSink);
  }
}
