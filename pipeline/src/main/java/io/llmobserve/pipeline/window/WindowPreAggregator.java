package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Local combine before the window shuffles ("window-partials", chained to the call stream): folds
 * calls into one partial {@link SpanAccumulator} per (series, tumbling window) and one partial
 * {@link RouteCount} per (route, window) (side output {@link #ROUTE_PARTIALS}), so the keyed window
 * operators receive one record per series and window from each subtask instead of one per call, and
 * merge t-digests instead of inserting every call.
 *
 * <p>Nothing is held across a checkpoint: every partial is emitted before the checkpoint barrier
 * ({@link #prepareSnapshotPreBarrier}), so the operator has no state, and what a checkpoint covers
 * is in the window operators' state (exactly-once as before). A window's partials are emitted when
 * the watermark passes its end, before the watermark itself, so they are never late downstream
 * unless the calls were; a call whose window the watermark has already passed goes out at once, on
 * its own, and the window operator judges it as it would the call (late side output, or a re-firing
 * within the allowed lateness). Partials carry the window's last timestamp, so the downstream
 * assigner puts them in the same window.
 *
 * <p>The job folds windows with the detectors' folds in one operator before the label limits
 * ({@code fold.CallFolds}, same {@link WindowPartials}); this operator folds calls that have been
 * through the limits already (the per-call path, which the tests compare against).
 */
public final class WindowPreAggregator extends AbstractStreamOperator<SpanAccumulator>
    implements OneInputStreamOperator<LlmSpan, SpanAccumulator> {
  private static final long serialVersionUID = 1L;

  /** Partial route counts, same windows. */
  public static final OutputTag<RouteCount> ROUTE_PARTIALS = new OutputTag<>("route-partials") {};

  /** Open partials beyond which everything is emitted early (bounds memory between watermarks). */
  static final int MAX_OPEN_PARTIALS = WindowPartials.MAX_OPEN_PARTIALS;

  private final Duration window;

  private transient WindowPartials partials;
  private transient WindowPartials.Sink sink;
  private transient long watermark;

  public WindowPreAggregator(Duration window) {
    this.window = window;
  }

  @Override
  public void open() throws Exception {
    super.open();
    partials = new WindowPartials(window, false);
    sink =
        new WindowPartials.Sink() {
          @Override
          public void series(SpanAccumulator partial, String resolveFrom, long timestamp) {
            output.collect(new StreamRecord<>(partial, timestamp));
          }

          @Override
          public void route(RouteCount partial, long timestamp) {
            output.collect(ROUTE_PARTIALS, new StreamRecord<>(partial, timestamp));
          }
        };
    watermark = Long.MIN_VALUE;
  }

  @Override
  public void processElement(StreamRecord<LlmSpan> record) {
    partials.add(record.getValue(), record.getTimestamp(), watermark, sink);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    watermark = Math.max(watermark, mark.getTimestamp());
    emitUpTo(watermark);
    super.processWatermark(mark);
  }

  /** Before the barrier: the checkpoint finds every call in the window operators' state. */
  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    emitUpTo(Long.MAX_VALUE);
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    emitUpTo(Long.MAX_VALUE);
    super.finish();
  }

  private void emitUpTo(long upTo) {
    partials.emitUpTo(upTo, sink);
  }
}
