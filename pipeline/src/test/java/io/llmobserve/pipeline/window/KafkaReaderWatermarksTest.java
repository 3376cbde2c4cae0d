package io.llmobserve.pipeline.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.api.operators.source.TimestampsAndWatermarks;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.io.PushingAsyncDataInput;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * The Kafka watermark strategy inside Flink's own source-side watermark logic (what the source
 * operator of a Kafka reader runs): the reader's main output, which a split-based reader never
 * emits records through, next to one generator per partition, on a manual activity clock.
 */
class KafkaReaderWatermarksTest {
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(1);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

  final ManualClock clock = new ManualClock(1_000_000_000_000L);
  final List<Long> watermarks = new ArrayList<>();
  final TimestampsAndWatermarks<byte[]> logic =
      TimestampsAndWatermarks.createProgressiveEventTimeLogic(
          LlmWatermarks.<byte[]>forKafkaRecords(OUT_OF_ORDERNESS, IDLE_TIMEOUT),
          UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup(),
          null, // periodic emits are driven by the test
          200,
          clock,
          clock,
          UnregisteredMetricGroups.createUnregisteredTaskMetricGroup().getIOMetricGroup());
  final ReaderOutput<byte[]> reader = logic.createMainOutput(new Collect(), new NoListener());

  /** {@code millis} of running time, in periodic emits 200 ms apart, each after a record. */
  void read(SourceOutput<byte[]> partition, long firstTimestamp, long millis) {
    for (long t = 0; t < millis; t += 200) {
      if (partition != null) {
        partition.collect(new byte[0], firstTimestamp + t);
      }
      clock.advanceTime(Duration.ofMillis(200));
      logic.emitImmediateWatermark(0);
    }
  }

  @Test
  void aBacklogReadForLongerThanTheStartUpGraceStaysOnTime() {
    // A catch-up after a restart: records exported 10 minutes ago, read for longer than the
    // start-up grace. The reader's main output never delivers a record (the Kafka reader emits
    // through one output per partition); it must not take event time to the wall clock.
    long old = System.currentTimeMillis() - 600_000;
    SourceOutput<byte[]> partition = reader.createOutputForSplit("otlp_spans-0");
    read(partition, old, 2 * LlmWatermarks.KAFKA_START_UP_GRACE);
    long lastRead = old + 2 * LlmWatermarks.KAFKA_START_UP_GRACE - 200;
    assertThat(watermarks).isNotEmpty();
    assertThat(watermarks.get(watermarks.size() - 1))
        .as("the watermark follows the records read, never beyond")
        .isEqualTo(lastRead - OUT_OF_ORDERNESS.toMillis() - 1);
  }

  @Test
  void anEmptyPartitionNextToABacklogNeitherHoldsItBackNorMakesItLate() {
    long old = System.currentTimeMillis() - 600_000;
    SourceOutput<byte[]> partition = reader.createOutputForSplit("otlp_spans-0");
    reader.createOutputForSplit("otlp_spans-1"); // never receives a record
    read(partition, old, LlmWatermarks.KAFKA_START_UP_GRACE - 200);
    assertThat(watermarks).as("the empty partition holds event time back").isEmpty();
    read(partition, old + LlmWatermarks.KAFKA_START_UP_GRACE - 200, 30_000);
    long lastRead = old + LlmWatermarks.KAFKA_START_UP_GRACE + 30_000 - 400;
    assertThat(watermarks).as("after the start-up grace it no longer does").isNotEmpty();
    assertThat(watermarks.get(watermarks.size() - 1))
        .isEqualTo(lastRead - OUT_OF_ORDERNESS.toMillis() - 1);
  }

  @Test
  void aReaderThatNeverDeliveredFollowsTheWallClockAfterTheStartUpGrace() {
    // A restored job with nothing new in its partition: restored windows and timers still fire.
    reader.createOutputForSplit("otlp_spans-0");
    read(null, 0, LlmWatermarks.KAFKA_START_UP_GRACE - 200);
    assertThat(watermarks).isEmpty();
    long before = System.currentTimeMillis();
    read(null, 0, 400);
    assertThat(watermarks).isNotEmpty();
    assertThat(watermarks.get(watermarks.size() - 1))
        .isBetween(
            before - OUT_OF_ORDERNESS.toMillis() - IDLE_TIMEOUT.toMillis() - 1,
            System.currentTimeMillis());
  }

  @Test
  void aCaughtUpPartitionStillFollowsTheQuietClock() {
    long old = System.currentTimeMillis() - 600_000;
    SourceOutput<byte[]> partition = reader.createOutputForSplit("otlp_spans-0");
    read(partition, old, 40_000);
    long lastRead = old + 40_000 - 200;
    // nothing more in the topic: quiet for 200 ms (the last tick) + 6,800 ms
    read(null, 0, 6_800);
    assertThat(watermarks.get(watermarks.size() - 1))
        .isEqualTo(lastRead - OUT_OF_ORDERNESS.toMillis() - 1 + (7_000 - IDLE_TIMEOUT.toMillis()));
  }

  @Test
  void aReleasedPartitionNoLongerBoundsTheOthers() {
    long old = System.currentTimeMillis() - 600_000;
    SourceOutput<byte[]> partition = reader.createOutputForSplit("otlp_spans-0");
    reader.createOutputForSplit("otlp_spans-1"); // never receives a record
    read(partition, old, LlmWatermarks.KAFKA_START_UP_GRACE + 1_000);
    reader.releaseOutputForSplit("otlp_spans-0"); // e.g. its partition was deleted
    long before = System.currentTimeMillis();
    read(null, 0, 2_000);
    assertThat(watermarks.get(watermarks.size() - 1))
        .as("the empty partition follows the wall clock again")
        .isGreaterThanOrEqualTo(before - OUT_OF_ORDERNESS.toMillis() - IDLE_TIMEOUT.toMillis() - 1);
  }

  final class Collect implements PushingAsyncDataInput.DataOutput<byte[]> {
    @Override
    public void emitRecord(StreamRecord<byte[]> record) {}

    @Override
    public void emitWatermark(Watermark watermark) {
      watermarks.add(watermark.getTimestamp());
    }

    @Override
    public void emitWatermarkStatus(WatermarkStatus status) {}

    @Override
    public void emitLatencyMarker(LatencyMarker marker) {}

    @Override
    public void emitRecordAttributes(RecordAttributes attributes) {}

    @Override
    public void emitWatermark(WatermarkEvent watermark) {}
  }

  static final class NoListener implements TimestampsAndWatermarks.WatermarkUpdateListener {
    @Override
    public void updateIdle(boolean idle) {}

    @Override
    public void updateCurrentEffectiveWatermark(long watermark) {}

    @Override
    public void updateCurrentSplitWatermark(String splitId, long watermark) {}

    @Override
    public void updateCurrentSplitIdle(String splitId, boolean idle) {}

    @Override
    public void splitFinished(String splitId) {}
  }
}
