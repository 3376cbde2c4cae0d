package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LabelKey;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
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
 */
public final class WindowPreAggregator extends AbstractStreamOperator<SpanAccumulator>
    implements OneInputStreamOperator<LlmSpan, SpanAccumulator> {
  private static final long serialVersionUID = 1L;

  /** Partial route counts, same windows. */
  public static final OutputTag<RouteCount> ROUTE_PARTIALS = new OutputTag<>("route-partials") {};

  /** Open partials beyond which everything is emitted early (bounds memory between watermarks). */
  static final int MAX_OPEN_PARTIALS = 20_000;

  private final long windowMillis;

  private transient TreeMap<Long, Window> open;
  private transient int openPartials;
  private transient long watermark;

  /** Partials of one window, by series key and route key. */
  private static final class Window {
    final Map<LabelKey, SpanAccumulator> series = new HashMap<>();
    final Map<LabelKey, RouteCount> routes = new HashMap<>();
  }

  /** Reused look-up keys (no key String per call). */
  private transient LabelKey seriesProbe;

  private transient LabelKey routeProbe;

  public WindowPreAggregator(Duration window) {
    this.windowMillis = window.toMillis();
  }

  @Override
  public void open() throws Exception {
    super.open();
    open = new TreeMap<>();
    seriesProbe = new LabelKey();
    routeProbe = new LabelKey();
    openPartials = 0;
    watermark = Long.MIN_VALUE;
  }

  @Override
  public void processElement(StreamRecord<LlmSpan> record) {
    LlmSpan s = record.getValue();
    long start = TimeWindow.getWindowStartWithOffset(record.getTimestamp(), 0, windowMillis);
    long last = start + windowMillis - 1;
    if (last <= watermark) { // its window is closed already: on its own, as the call would go
      SpanAccumulator a = SpanAccumulator.partial();
      a.add(s);
      output.collect(new StreamRecord<>(a.seal(), last));
      RouteCount r = new RouteCount();
      r.add(s);
      output.collect(ROUTE_PARTIALS, new StreamRecord<>(r, last));
      return;
    }
    Window w = open.computeIfAbsent(start, k -> new Window());
    // the same partition as the keys downstream: LlmSpan.seriesKey() and RouteCount.key()
    LabelKey series = seriesProbe.set(s.service, s.provider, s.model, s.region, s.operation);
    SpanAccumulator a = w.series.get(series);
    if (a == null) {
      a = SpanAccumulator.partial();
      w.series.put(series.copy(), a);
      openPartials++;
    }
    a.add(s);
    LabelKey route =
        routeProbe.set(
            s.service,
            s.provider,
            RouteCount.orUnknown(s.hostingProvider),
            s.region,
            RouteCount.orUnknown(s.edgePop));
    RouteCount r = w.routes.get(route);
    if (r == null) {
      r = new RouteCount();
      w.routes.put(route.copy(), r);
      openPartials++;
    }
    r.add(s);
    if (openPartials > MAX_OPEN_PARTIALS) {
      emitUpTo(Long.MAX_VALUE);
    }
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

  /** Emits the partials of every window whose last timestamp is at most {@code upTo}. */
  private void emitUpTo(long upTo) {
    Iterator<Map.Entry<Long, Window>> it = open.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Window> e = it.next();
      long last = e.getKey() + windowMillis - 1;
      if (last > upTo) {
        break; // sorted by start
      }
      for (SpanAccumulator a : e.getValue().series.values()) {
        output.collect(new StreamRecord<>(a.seal(), last));
      }
      for (RouteCount r : e.getValue().routes.values()) {
        output.collect(ROUTE_PARTIALS, new StreamRecord<>(r, last));
      }
      openPartials -= e.getValue().series.size() + e.getValue().routes.size();
      it.remove();
    }
  }
}
