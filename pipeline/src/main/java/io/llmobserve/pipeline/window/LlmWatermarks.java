package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.source.ReceiverQueues;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * The job's one rule for event time in quiet periods (DESIGN.md, "Event time"), per input: a Kafka
 * partition (on record timestamps) or the embedded receiver (on span end times).
 *
 * <ul>
 *   <li>While records flow: bounded out-of-orderness, {@code max timestamp - outOfOrderness}.
 *   <li>Event time moves without records only when the input is <em>proven quiet</em>: no record
 *       read while the task could have read one. Quiet time accrues on Flink's input-activity clock
 *       (it stops while the task is backpressured), at most {@link #MAX_QUIET_PER_TICK} per
 *       periodic emit (a stalled task, GC pause or starved CPU does not count as quiet), and not at
 *       all while accepted input waits unread ({@code pending}: the embedded receiver's queue). So
 *       a pause in arrivals never turns spans still queued into late ones.
 *   <li>An input proven quiet for longer than {@code idleTimeout} after a record lets its event
 *       time follow the (quiet) clock beyond that: {@code max - outOfOrderness + (quiet -
 *       idleTimeout)}. So a record delayed by up to out-of-orderness + idle timeout is never late.
 *   <li>An input that has delivered nothing since it started (a restored job, an empty partition)
 *       follows the wall clock, {@code now - outOfOrderness - idleTimeout}, once proven quiet for
 *       the start-up grace {@code max(idleTimeout, }{@link #START_UP_GRACE}{@code )} (Kafka: {@link
 *       #KAFKA_START_UP_GRACE}). It is never marked idle: when every input is quiet (a quiet hour,
 *       right after a restore) the watermark still advances, so restored windows and timers fire
 *       without new input. In a Kafka reader it never goes beyond the reader's inputs that did
 *       deliver ({@link ReaderInputs}).
 * </ul>
 */
public final class LlmWatermarks<T> implements WatermarkGenerator<T> {
  /**
   * Quiet time an input that never delivered anything needs before it follows the wall clock (lets
   * a reader that is slow to fetch its first, possibly old, records get them first). The embedded
   * receiver knows when input waits unread ({@code pending}), so a short grace is safe there.
   */
  static final long START_UP_GRACE = 10_000;

  /**
   * The same for a Kafka partition, which cannot tell an empty partition from a slow first fetch: a
   * restored reader's first fetch of its backlog took 20 s on a loaded 2-core machine (real broker
   * process, TaskManager killed with -9), and a shorter grace turned that whole backlog late.
   */
  static final long KAFKA_START_UP_GRACE = 30_000;

  /** Quiet credit per periodic emit (200 ms apart): a longer gap is a stall, not a quiet input. */
  static final long MAX_QUIET_PER_TICK = 1_000;

  private final long outOfOrdernessMillis;
  private final long idleTimeoutMillis;
  private final RelativeClock activityClock;
  private final LongSupplier wallClock;
  private final BooleanSupplier pending;
  private final long startUpGraceMillis;

  /** The other inputs of the same source reader (Kafka), or null. */
  private final ReaderInputs reader;

  private long maxTimestamp = Long.MIN_VALUE;
  private long quietMillis;
  private long lastTick;
  private long lastEmitted = Long.MIN_VALUE;

  /** {@link ReaderInputs#emitCalls} at this input's last periodic emit. */
  private long lastEmitCall;

  /**
   * @param activityClock Flink's input-activity clock (stops while the task is backpressured)
   * @param wallClock epoch millis, for inputs that never delivered a record
   * @param pending true while accepted input waits unread (false when unknowable, e.g. Kafka)
   * @param startUpGraceMillis the least quiet time before an input that never delivered follows the
   *     wall clock (raised to the idle timeout)
   */
  LlmWatermarks(
      Duration outOfOrderness,
      Duration idleTimeout,
      RelativeClock activityClock,
      LongSupplier wallClock,
      BooleanSupplier pending,
      long startUpGraceMillis) {
    this(outOfOrderness, idleTimeout, activityClock, wallClock, pending, startUpGraceMillis, null);
  }

  /**
   * @param reader the generators of the same source reader (its main output and one per split), or
   *     null: an input that never delivered never goes beyond the inputs of its reader that did
   */
  LlmWatermarks(
      Duration outOfOrderness,
      Duration idleTimeout,
      RelativeClock activityClock,
      LongSupplier wallClock,
      BooleanSupplier pending,
      long startUpGraceMillis,
      ReaderInputs reader) {
    this.reader = reader;
    if (reader != null) {
      reader.inputs.add(this);
      lastEmitCall = reader.emitCalls;
    }
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.idleTimeoutMillis = idleTimeout.toMillis();
    this.activityClock = activityClock;
    this.wallClock = wallClock;
    this.pending = pending;
    this.startUpGraceMillis = Math.max(idleTimeoutMillis, startUpGraceMillis);
    this.lastTick = activityClock.relativeTimeMillis();
  }

  /**
   * Span end time as event time (embedded mode).
   *
   * @param receiverQueue the embedded receiver's queue (see {@code ReceiverQueues}): input waiting
   *     there is never taken for quiet
   */
  public static WatermarkStrategy<LlmSpan> forSpans(
      Duration outOfOrderness, Duration idleTimeout, String receiverQueue) {
    return WatermarkStrategy.<LlmSpan>forGenerator(
            ctx ->
                new LlmWatermarks<>(
                    outOfOrderness,
                    idleTimeout,
                    ctx.getInputActivityClock(),
                    System::currentTimeMillis,
                    ReceiverQueues.pendingInput(receiverQueue),
                    START_UP_GRACE))
        .withTimestampAssigner((span, previous) -> span.eventTimeMillis());
  }

  /**
   * Source-provided timestamps of a Kafka source (record time), one generator per split. The
   * reader's generators know each other ({@link ReaderInputs}): Flink's source operator also runs
   * one for the reader's main output, which a Kafka reader never emits a record through, and whose
   * watermark Flink forwards when it is ahead of the splits' (it is merged by maximum, the splits
   * by minimum). Without that, the main output, never having delivered a record, followed the wall
   * clock once the start-up grace had passed while the reader was still reading a backlog of older
   * records, and turned the rest of the backlog late.
   */
  public static <T> WatermarkStrategy<T> forKafkaRecords(
      Duration outOfOrderness, Duration idleTimeout) {
    return new ReaderStrategy<T>(outOfOrderness, idleTimeout)
        // A record without a timestamp (-1) counts as arriving now.
        .withTimestampAssigner((record, ts) -> ts > 0 ? ts : System.currentTimeMillis());
  }

  /**
   * The generators of one source reader. One instance per deserialized strategy, that is per source
   * subtask; all its generators run on the task's thread.
   */
  static final class ReaderInputs {
    final java.util.List<LlmWatermarks<?>> inputs = new java.util.ArrayList<>();

    /** Periodic emits of all inputs: an input left out of several rounds was released. */
    long emitCalls;

    /**
     * How far an input of the reader that never delivered a record may take event time: not beyond
     * the lowest watermark of the inputs that did (they may be reading a backlog), and nowhere
     * while another input that never delivered is still within its start-up grace (it may be a
     * partition whose first fetch is slow). {@link Long#MAX_VALUE}: no bound.
     */
    long boundFor(LlmWatermarks<?> self) {
      long bound = Long.MAX_VALUE;
      for (LlmWatermarks<?> input : inputs) {
        if (input == self || emitCalls - input.lastEmitCall > 3L * inputs.size()) {
          continue; // a split Flink no longer emits for (released) bounds nothing
        }
        if (input.maxTimestamp != Long.MIN_VALUE) {
          bound = Math.min(bound, input.lastEmitted);
        } else if (input.quietMillis < input.startUpGraceMillis) {
          return Long.MIN_VALUE;
        }
      }
      return bound;
    }
  }

  /** Creates the generators of one reader with a shared {@link ReaderInputs}. */
  private static final class ReaderStrategy<T> implements WatermarkStrategy<T> {
    private static final long serialVersionUID = 1L;
    private final Duration outOfOrderness;
    private final Duration idleTimeout;
    private transient ReaderInputs reader;

    ReaderStrategy(Duration outOfOrderness, Duration idleTimeout) {
      this.outOfOrderness = outOfOrderness;
      this.idleTimeout = idleTimeout;
    }

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(
        org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier.Context ctx) {
      if (reader == null) {
        reader = new ReaderInputs();
      }
      return new LlmWatermarks<>(
          outOfOrderness,
          idleTimeout,
          ctx.getInputActivityClock(),
          System::currentTimeMillis,
          () -> false,
          KAFKA_START_UP_GRACE,
          reader);
    }
  }

  /** Timestamps already on the records (the embedded receiver's metrics samples). */
  public static <T> WatermarkStrategy<T> forRecords(Duration outOfOrderness, Duration idleTimeout) {
    return WatermarkStrategy.<T>forGenerator(
            ctx ->
                new LlmWatermarks<>(
                    outOfOrderness,
                    idleTimeout,
                    ctx.getInputActivityClock(),
                    System::currentTimeMillis,
                    () -> false,
                    START_UP_GRACE))
        // A record without a timestamp (-1) counts as arriving now.
        .withTimestampAssigner((record, ts) -> ts > 0 ? ts : System.currentTimeMillis());
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
    quietMillis = 0;
    lastTick = activityClock.relativeTimeMillis(); // quiet counts from this record on
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    if (reader != null) {
      lastEmitCall = ++reader.emitCalls;
    }
    long now = activityClock.relativeTimeMillis();
    long elapsed = Math.max(0, now - lastTick);
    lastTick = now;
    if (pending.getAsBoolean()) {
      quietMillis = 0;
    } else {
      quietMillis += Math.min(elapsed, MAX_QUIET_PER_TICK);
    }
    long wm;
    if (maxTimestamp == Long.MIN_VALUE) {
      if (quietMillis < startUpGraceMillis) {
        return;
      }
      wm = wallClock.getAsLong() - outOfOrdernessMillis - idleTimeoutMillis - 1;
      // Never beyond another input of the reader that delivers: it may still be reading a
      // backlog, and this one's watermark (the main output's, or an empty partition's) would
      // otherwise overtake it.
      if (reader != null) {
        wm = Math.min(wm, reader.boundFor(this));
      }
    } else {
      // Beyond the idle timeout event time follows the quiet clock: a record that was only
      // slow to come (up to out-of-orderness + idle-timeout behind) is still on time.
      wm = maxTimestamp - outOfOrdernessMillis - 1 + Math.max(0, quietMillis - idleTimeoutMillis);
    }
    if (wm > lastEmitted) {
      lastEmitted = wm;
      output.emitWatermark(new Watermark(wm));
    }
  }
}
