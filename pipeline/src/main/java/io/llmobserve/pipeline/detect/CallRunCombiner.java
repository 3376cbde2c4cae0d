package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.LabelKey;
import io.llmobserve.pipeline.model.LlmSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Local combine before an event detector's shuffle (chained to the call stream, like
 * window-partials): instead of every call crossing to model_drift, routing_change,
 * residency_violation and stall, each subtask folds its calls into what the detector needs, per key
 * and in arrival order, and hands that on.
 *
 * <ul>
 *   <li>model_drift, routing_change, residency_violation: one {@link CallRun} per run of calls with
 *       the same labels and watched values. The detector applies a run's first call exactly as it
 *       did per call and the rest in one step (a repeat cannot change what a call already set: only
 *       the established value's count grows); its heartbeat is judged once per run, at the run's
 *       last call. Calls the detector ignores (drift and routing: failed calls without a response
 *       model; residency: providers without an allowed set, unknown regions) are dropped here.
 *   <li>stall: one {@link CompletionBatch} per key with the last {@code StallState.RING}
 *       completions, their count and latest end (all the detector keeps of completions).
 * </ul>
 *
 * <p>Nothing is held across a checkpoint (everything leaves before the barrier: the operator has no
 * state, and exactly-once holds as before), nor across a watermark (what was folded leaves before
 * the watermark is forwarded, so the detectors' event-time timers see every call before they fire,
 * as before), nor for longer than {@link #MAX_DELAY_MILLIS} of processing time (the stall detector
 * compares completions with in-flight samples that take another path).
 *
 * <p>The job runs these folds ({@link Folder}) together with the window partials in one operator
 * before the label limits ({@code fold.CallFolds}); this operator runs one fold on calls that have
 * been through the limits already (the per-call path, which the tests compare against).
 */
public final class CallRunCombiner<OUT> extends AbstractStreamOperator<OUT>
    implements OneInputStreamOperator<LlmSpan, OUT> {
  private static final long serialVersionUID = 1L;

  /** Longest a folded call waits (processing time) before it is handed on. */
  public static final long MAX_DELAY_MILLIS = 200;

  /** Folded records beyond which everything is handed on at once (bounds memory). */
  public static final int MAX_OPEN = 10_000;

  private final SerializableSupplier<Folder<OUT>> newFolder;

  private transient Folder<OUT> folder;
  private transient boolean flushScheduled;

  private CallRunCombiner(SerializableSupplier<Folder<OUT>> newFolder) {
    this.newFolder = newFolder;
  }

  /**
   * One detector's fold, without Flink: this operator runs one after the label limits; the call
   * folds before them ({@code fold.CallFolds}) run several in one operator.
   */
  public abstract static class Folder<R> {
    /** Folds one call; returns true when it opened a new record. */
    public abstract boolean fold(LlmSpan s);

    /** Records folded and not handed on yet. */
    public abstract int openRecords();

    /** Hands on every folded record (in the order they were opened) and forgets them. */
    public abstract void drain(Consumer<R> out);

    /** The event time a record is handed on with. */
    public abstract long timestamp(R r);
  }

  @Override
  public void open() throws Exception {
    super.open();
    folder = newFolder.get();
  }

  @Override
  public void processElement(StreamRecord<LlmSpan> record) {
    if (folder.fold(record.getValue())) {
      if (folder.openRecords() >= MAX_OPEN) {
        emitAll();
      } else if (!flushScheduled) {
        flushScheduled = true;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
            .registerTimer(
                now + MAX_DELAY_MILLIS,
                t -> {
                  flushScheduled = false;
                  emitAll();
                });
      }
    }
  }

  private void emitAll() {
    folder.drain(r -> output.collect(new StreamRecord<>(r, folder.timestamp(r))));
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    emitAll();
    super.processWatermark(mark);
  }

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

  /** model_drift or routing_change. */
  public static CallRunCombiner<CallRun> change(ChangeKind kind) {
    return new CallRunCombiner<>(() -> changeRuns(kind));
  }

  /** residency_violation: only calls it judges (see {@link ResidencyFunction#allowed}). */
  public static CallRunCombiner<CallRun> residency(DetectorSettings settings) {
    Map<String, Set<String>> allowed = Map.copyOf(settings.residencyAllowed());
    return new CallRunCombiner<>(() -> residencyRuns(allowed, false));
  }

  /** stall: completions per stall key. */
  public static CallRunCombiner<CompletionBatch> stall() {
    return new CallRunCombiner<>(Completions::new);
  }

  /** model_drift or routing_change runs (the same before and after the label limits). */
  public static Folder<CallRun> changeRuns(ChangeKind kind) {
    return new ChangeRuns(kind);
  }

  /**
   * residency_violation runs of the providers with an allowed set. After the label limits only
   * calls the detector judges; before them also calls with an unknown region (the limiter may fold
   * "unknown" into "other", which the detector judges).
   */
  public static Folder<CallRun> residencyRuns(
      Map<String, Set<String>> allowed, boolean beforeLabelLimits) {
    return new ResidencyRuns(allowed, beforeLabelLimits);
  }

  /** Completions per stall key. */
  public static Folder<CompletionBatch> completions() {
    return new Completions();
  }

  static final class ChangeRuns extends Runs {
    private final ChangeKind kind;

    ChangeRuns(ChangeKind kind) {
      this.kind = kind;
    }

    @Override
    boolean watched(LlmSpan s) {
      return ChangeFunction.watched(s);
    }

    @Override
    LabelKey probe(LabelKey p, LlmSpan s) {
      String model = s.requestModel != null ? s.requestModel : s.model;
      return kind == ChangeKind.MODEL_DRIFT
          ? p.set(s.service, s.provider, model, null, null)
          : p.set(s.service, s.provider, model, s.serverAddress, null);
    }

    @Override
    String key(LlmSpan s) {
      return kind.key(s);
    }

    @Override
    String first(LlmSpan s) {
      return kind.first(s);
    }

    @Override
    String second(LlmSpan s) {
      return kind.second(s);
    }
  }

  static final class ResidencyRuns extends Runs {
    private final Map<String, Set<String>> allowed;
    private final boolean beforeLabelLimits;

    ResidencyRuns(Map<String, Set<String>> allowed, boolean beforeLabelLimits) {
      this.allowed = allowed;
      this.beforeLabelLimits = beforeLabelLimits;
    }

    @Override
    boolean watched(LlmSpan s) {
      if (beforeLabelLimits) {
        return s.provider != null
            && s.region != null
            && allowed.containsKey(s.provider.toLowerCase(Locale.ROOT));
      }
      return ResidencyFunction.allowed(allowed, s.provider, s.region) != null;
    }

    @Override
    LabelKey probe(LabelKey p, LlmSpan s) {
      return p.set(s.service, s.provider, s.region, null, null);
    }

    @Override
    String key(LlmSpan s) {
      return ResidencyFunction.key(s);
    }

    @Override
    String first(LlmSpan s) {
      return null;
    }

    @Override
    String second(LlmSpan s) {
      return null;
    }
  }

  /** Runs of calls per detector key, in arrival order. */
  abstract static class Runs extends Folder<CallRun> {
    private final LabelKey probe = new LabelKey();
    private final Map<LabelKey, CallRun> last = new HashMap<>();
    private final List<CallRun> runs = new ArrayList<>();

    abstract boolean watched(LlmSpan s);

    abstract LabelKey probe(LabelKey p, LlmSpan s);

    abstract String key(LlmSpan s);

    abstract String first(LlmSpan s);

    abstract String second(LlmSpan s);

    @Override
    public boolean fold(LlmSpan s) {
      if (!watched(s)) {
        return false;
      }
      String first = first(s);
      String second = second(s);
      LabelKey p = probe(probe, s);
      CallRun r = last.get(p);
      if (r != null && r.continuedBy(s, first, second)) {
        r.add(s);
        return false;
      }
      r = CallRun.of(key(s), s, first, second);
      last.put(p.copy(), r);
      runs.add(r);
      return true;
    }

    @Override
    public int openRecords() {
      return runs.size();
    }

    @Override
    public void drain(Consumer<CallRun> out) {
      for (CallRun r : runs) {
        out.accept(r);
      }
      runs.clear();
      last.clear();
    }

    @Override
    public long timestamp(CallRun r) {
      return r.lastMillis;
    }
  }

  /** Completions per stall key. */
  static final class Completions extends Folder<CompletionBatch> {
    private final LabelKey probe = new LabelKey();
    private final Map<LabelKey, CompletionBatch> batches = new LinkedHashMap<>();

    @Override
    public boolean fold(LlmSpan s) {
      if (!CompletionBatch.completes(s)) {
        return false;
      }
      // the key's own rule: no request model is "unknown"
      LabelKey p =
          probe.set(
              s.service,
              s.provider,
              s.requestModel == null ? "unknown" : s.requestModel,
              s.operation,
              null);
      CompletionBatch b = batches.get(p);
      if (b != null) {
        b.add(s);
        return false;
      }
      batches.put(p.copy(), CompletionBatch.of(s));
      return true;
    }

    @Override
    public int openRecords() {
      return batches.size();
    }

    @Override
    public void drain(Consumer<CompletionBatch> out) {
      for (CompletionBatch b : batches.values()) {
        out.accept(b);
      }
      batches.clear();
    }

    @Override
    public long timestamp(CompletionBatch b) {
      return b.maxEndMillis;
    }
  }
}
