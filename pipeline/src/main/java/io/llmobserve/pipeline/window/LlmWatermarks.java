package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks that keep moving when the traffic stops. Flink's
 * withIdleness only excludes an idle input; when EVERY input is quiet the watermark would
 * freeze and the last windows would never close (no metrics for the last burst before a
 * quiet night). So: an input that never saw a span is marked idle; one that did, once quiet
 * for {@code idleTimeout}, lets event time advance with the wall clock from its last span.
 */
public final class LlmWatermarks implements WatermarkGenerator<LlmSpan> {
  private final long outOfOrdernessMillis;
  private final long idleTimeoutMillis;
  private final java.util.function.LongSupplier clock;

  private long maxTimestamp = Long.MIN_VALUE;
  private long lastEventWallClock;
  private long lastEmitted = Long.MIN_VALUE;
  private final long createdWallClock;

  LlmWatermarks(Duration outOfOrderness, Duration idleTimeout, java.util.function.LongSupplier clock) {
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.idleTimeoutMillis = idleTimeout.toMillis();
    this.clock = clock;
    this.createdWallClock = clock.getAsLong();
  }

  public static WatermarkStrategy<LlmSpan> strategy(Duration outOfOrderness, Duration idleTimeout) {
    return WatermarkStrategy.<LlmSpan>forGenerator(
            ctx -> new LlmWatermarks(outOfOrderness, idleTimeout, System::currentTimeMillis))
        .withTimestampAssigner((span, previous) -> span.eventTimeMillis());
  }

  @Override
  public void onEvent(LlmSpan span, long eventTimestamp, WatermarkOutput output) {
    if (maxTimestamp == Long.MIN_VALUE) {
      output.markActive();
    }
    maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    lastEventWallClock = clock.getAsLong();
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long now = clock.getAsLong();
    if (maxTimestamp == Long.MIN_VALUE) {
      if (now - createdWallClock >= idleTimeoutMillis) {
        output.markIdle();
      }
      return;
    }
    long wm = maxTimestamp - outOfOrdernessMillis - 1;
    long quiet = now - lastEventWallClock;
    if (quiet >= idleTimeoutMillis) {
      wm += quiet; // event time follows the wall clock while nothing arrives
    }
    if (wm > lastEmitted) {
      lastEmitted = wm;
      output.emitWatermark(new Watermark(wm));
    }
  }
}
