package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Bounded out-of-orderness watermarks that keep moving when the traffic stops. Flink's
 * withIdleness only excludes an idle input; when EVERY input is quiet the watermark would
 * freeze and the last windows would never close (no metrics for the last burst before a
 * quiet night). So: an input that saw events and then stayed quiet for {@code idleTimeout}
 * lets event time advance with the wall clock from its last event; an input that never saw
 * one is marked idle only after {@link #NEVER_ACTIVE_IDLE} at least, so a reader that is just
 * slow to get its first records at start-up does not let the others race ahead and make its
 * records late.
 *
 * <p>Used per Kafka partition (split) on record timestamps in cluster mode, and on span end
 * times after the single embedded receiver.
 */
public final class LlmWatermarks<T> implements WatermarkGenerator<T> {
  static final long NEVER_ACTIVE_IDLE = 10_000;

  private final long outOfOrdernessMillis;
  private final long idleTimeoutMillis;
  private final LongSupplier clock;

  private long maxTimestamp = Long.MIN_VALUE;
  private long lastEventWallClock;
  private long lastEmitted = Long.MIN_VALUE;
  private final long createdWallClock;

  LlmWatermarks(Duration outOfOrderness, Duration idleTimeout, LongSupplier clock) {
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.idleTimeoutMillis = idleTimeout.toMillis();
    this.clock = clock;
    this.createdWallClock = clock.getAsLong();
  }

  /** Span end time as event time (embedded mode). */
  public static WatermarkStrategy<LlmSpan> forSpans(Duration outOfOrderness, Duration idleTimeout) {
    return WatermarkStrategy.<LlmSpan>forGenerator(
            ctx -> new LlmWatermarks<>(outOfOrderness, idleTimeout, System::currentTimeMillis))
        .withTimestampAssigner((span, previous) -> span.eventTimeMillis());
  }

  /** Source-provided timestamps (Kafka record time), one generator per split. */
  public static <T> WatermarkStrategy<T> forRecords(Duration outOfOrderness, Duration idleTimeout) {
    return WatermarkStrategy.<T>forGenerator(
            ctx -> new LlmWatermarks<>(outOfOrderness, idleTimeout, System::currentTimeMillis))
        // A record without a timestamp (-1) counts as arriving now.
        .withTimestampAssigner((record, ts) -> ts > 0 ? ts : System.currentTimeMillis());
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
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
      if (now - createdWallClock >= Math.max(idleTimeoutMillis, NEVER_ACTIVE_IDLE)) {
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
