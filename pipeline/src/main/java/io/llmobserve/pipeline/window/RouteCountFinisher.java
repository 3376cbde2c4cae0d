package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.RouteCount;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Emits a closed window's route count; a late re-firing (allowed lateness) emits only the calls
 * added since the last firing, so the sink's counter never counts a call twice.
 */
public class RouteCountFinisher
    extends ProcessWindowFunction<RouteCount, RouteCount, String, TimeWindow> {
  private static final long serialVersionUID = 1L;

  private static final ValueStateDescriptor<Long> EMITTED =
      new ValueStateDescriptor<>("route-emitted", Types.LONG);

  @Override
  public void process(
      String key, Context ctx, Iterable<RouteCount> counts, Collector<RouteCount> out)
      throws Exception {
    RouteCount c = counts.iterator().next();
    ValueState<Long> emitted = ctx.windowState().getState(EMITTED);
    Long before = emitted.value();
    long total = c.calls;
    emitted.update(total);
    RouteCount r = new RouteCount();
    r.merge(c);
    r.calls = before == null ? total : total - before;
    r.windowStart = ctx.window().getStart();
    r.windowEnd = ctx.window().getEnd();
    if (r.calls > 0 || before == null) {
      out.collect(r);
    }
  }

  @Override
  public void clear(Context ctx) {
    ctx.windowState().getState(EMITTED).clear();
  }
}
