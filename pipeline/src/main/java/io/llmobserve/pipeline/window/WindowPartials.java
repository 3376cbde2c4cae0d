package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LabelKey;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The fold of {@link WindowPreAggregator} without Flink: one partial {@link SpanAccumulator} per
 * (series, tumbling window) and one partial {@link RouteCount} per (route, window), handed to a
 * {@link Sink} when asked. Used after the label limits (the window-partials operator) and before
 * them ({@code fold.CallFolds}): then the limiter relabels each partial as it would have relabeled
 * each of its calls, which needs two distinctions the labels alone lose:
 *
 * <ul>
 *   <li>a call the limiter would give its request model's last response model (a failure: no
 *       response model, labelled with its request model) gets its own partial, keyed by the request
 *       model, which the sink receives as {@code resolveFrom};
 *   <li>route partials keep an absent hosting provider or edge POP absent (null; the limiter bounds
 *       only present values), where after the limits they read "unknown".
 * </ul>
 */
public final class WindowPartials {
  /** Where partials go, each with the window's last timestamp. */
  public interface Sink {
    /**
     * @param resolveFrom before the label limits: the request model whose last response model
     *     becomes this partial's model label, or null when its model label is its own
     */
    void series(SpanAccumulator partial, String resolveFrom, long timestamp);

    void route(RouteCount partial, long timestamp);
  }

  /** Open partials beyond which everything is emitted early (bounds memory between watermarks). */
  static final int MAX_OPEN_PARTIALS = 20_000;

  private final long windowMillis;
  private final boolean beforeLabelLimits;
  private final TreeMap<Long, Window> open = new TreeMap<>();
  private int openPartials;

  /** Reused look-up keys (no key String per call). */
  private final LabelKey seriesProbe = new LabelKey();

  private final LabelKey routeProbe = new LabelKey();

  /** Partials of one window, by series key and route key. */
  private static final class Window {
    final Map<LabelKey, SpanAccumulator> series = new HashMap<>();

    /** Before the label limits: failures to be labelled with a response model, by request model. */
    final Map<LabelKey, SpanAccumulator> resolving = new HashMap<>();

    final Map<LabelKey, RouteCount> routes = new HashMap<>();

    int size() {
      return series.size() + resolving.size() + routes.size();
    }
  }

  /**
   * @param beforeLabelLimits whether the calls have not been through the label limiter yet (see the
   *     class comment)
   */
  public WindowPartials(Duration window, boolean beforeLabelLimits) {
    this.windowMillis = window.toMillis();
    this.beforeLabelLimits = beforeLabelLimits;
  }

  /**
   * Folds one call with event time {@code timestamp}; a call whose window the {@code watermark} has
   * passed goes to {@code out} at once, on its own, as the call would go.
   */
  public void add(LlmSpan s, long timestamp, long watermark, Sink out) {
    long start = TimeWindow.getWindowStartWithOffset(timestamp, 0, windowMillis);
    long last = start + windowMillis - 1;
    String resolveFrom = beforeLabelLimits ? s.resolvesModelFrom() : null;
    if (last <= watermark) { // its window is closed already
      SpanAccumulator a = SpanAccumulator.partial();
      a.add(s);
      out.series(a.seal(), resolveFrom, last);
      RouteCount r = new RouteCount();
      addRoute(r, s);
      out.route(r, last);
      return;
    }
    Window w = open.computeIfAbsent(start, k -> new Window());
    // the same partition as the keys downstream: LlmSpan.seriesKey() and RouteCount.key()
    Map<LabelKey, SpanAccumulator> partials = resolveFrom == null ? w.series : w.resolving;
    LabelKey series =
        seriesProbe.set(
            s.service,
            s.provider,
            resolveFrom == null ? s.model : resolveFrom,
            s.region,
            s.operation);
    SpanAccumulator a = partials.get(series);
    if (a == null) {
      a = SpanAccumulator.partial();
      a.resolveFrom = resolveFrom;
      partials.put(series.copy(), a);
      openPartials++;
    }
    a.add(s);
    LabelKey route =
        beforeLabelLimits
            ? routeProbe.set(s.service, s.provider, s.hostingProvider, s.region, s.edgePop)
            : routeProbe.set(
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
    addRoute(r, s);
    if (openPartials > MAX_OPEN_PARTIALS) {
      emitUpTo(Long.MAX_VALUE, out);
    }
  }

  private void addRoute(RouteCount r, LlmSpan s) {
    if (beforeLabelLimits) {
      r.addKeepingAbsent(s);
    } else {
      r.add(s);
    }
  }

  /** Emits the partials of every window whose last timestamp is at most {@code upTo}. */
  public void emitUpTo(long upTo, Sink out) {
    Iterator<Map.Entry<Long, Window>> it = open.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Window> e = it.next();
      long last = e.getKey() + windowMillis - 1;
      if (last > upTo) {
        break; // sorted by start
      }
      Window w = e.getValue();
      for (SpanAccumulator a : w.series.values()) {
        out.series(a.seal(), null, last);
      }
      for (SpanAccumulator a : w.resolving.values()) {
        out.series(a.seal(), a.resolveFrom, last);
      }
      for (RouteCount r : w.routes.values()) {
        out.route(r, last);
      }
      openPartials -= w.size();
      it.remove();
    }
  }
}
