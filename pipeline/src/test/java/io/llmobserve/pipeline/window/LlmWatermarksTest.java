package io.llmobserve.pipeline.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/** The event-time rule (DESIGN.md, "Event time") on a manual activity clock. */
class LlmWatermarksTest {
  final ManualClock activity = new ManualClock(1_000_000_000L);
  long wall = 5_000_000;
  boolean pending;
  final List<String> out = new ArrayList<>();
  final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark w) {
          out.add("wm " + w.getTimestamp());
        }

        @Override
        public void markIdle() {
          out.add("idle");
        }

        @Override
        public void markActive() {
          out.add("active");
        }
      };
  final LlmWatermarks<LlmSpan> gen =
      new LlmWatermarks<>(
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          activity,
          () -> wall,
          () -> pending,
          LlmWatermarks.START_UP_GRACE);

  /** {@code millis} of running time, in periodic emits 200 ms apart. */
  void run(long millis) {
    for (long t = 0; t < millis; t += 200) {
      activity.advanceTime(Duration.ofMillis(200));
      wall += 200;
      gen.onPeriodicEmit(output);
    }
  }

  @Test
  void boundedOutOfOrdernessWhileSpansFlow() {
    gen.onEvent(new LlmSpan(), 100_000, output);
    gen.onEvent(new LlmSpan(), 90_000, output); // out of order: does not move the watermark back
    gen.onPeriodicEmit(output);
    assertThat(out).containsExactly("wm 94999");
  }

  @Test
  void aQuietInputFollowsTheClockFromItsLastRecordAfterTheIdleTimeout() {
    gen.onEvent(new LlmSpan(), 100_000, output);
    run(2_000); // not quiet longer than the idle timeout yet
    assertThat(out).containsExactly("wm 94999");
    run(200);
    assertThat(out).last().isEqualTo("wm " + (94_999 + 200));
    run(3_000);
    assertThat(out).last().isEqualTo("wm " + (94_999 + 3_200));
  }

  @Test
  void inputWaitingInTheReceiverQueueIsNeverTakenForQuiet() {
    gen.onEvent(new LlmSpan(), 100_000, output);
    pending = true; // the task is slow: spans wait in the queue
    run(20_000);
    assertThat(out).containsExactly("wm 94999");
    pending = false; // drained, and nothing more: quiet from now on
    run(2_400);
    assertThat(out).last().isEqualTo("wm " + (94_999 + 400));
  }

  @Test
  void aStalledTaskIsNotAQuietInput() {
    gen.onEvent(new LlmSpan(), 100_000, output);
    activity.advanceTime(Duration.ofSeconds(30)); // GC pause / starved CPU: no periodic emit ran
    gen.onPeriodicEmit(output);
    assertThat(out).containsExactly("wm 94999"); // credited 1 s only, below the idle timeout
  }

  @Test
  void anInputThatNeverDeliveredFollowsTheWallClockAfterTheStartUpGraceAndIsNeverIdle() {
    run(LlmWatermarks.START_UP_GRACE - 200);
    assertThat(out)
        .isEmpty(); // a reader slow to fetch its first (maybe old) records gets them first
    run(200);
    assertThat(out).containsExactly("wm " + (wall - 5_000 - 2_000 - 1));
    run(1_000);
    assertThat(out).last().isEqualTo("wm " + (wall - 5_000 - 2_000 - 1));
    assertThat(out).doesNotContain("idle");
  }

  @Test
  void aKafkaPartitionThatNeverDeliveredWaitsOutTheLongerGraceForASlowFirstFetch() {
    LlmWatermarks<LlmSpan> kafka =
        new LlmWatermarks<>(
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            activity,
            () -> wall,
            () -> false,
            LlmWatermarks.KAFKA_START_UP_GRACE);
    for (long t = 0; t < LlmWatermarks.KAFKA_START_UP_GRACE - 200; t += 200) {
      activity.advanceTime(Duration.ofMillis(200));
      wall += 200;
      kafka.onPeriodicEmit(output);
    }
    assertThat(out).as("a backlog fetched late is still on time").isEmpty();
    // the backlog arrives: event time follows it, not the wall clock
    kafka.onEvent(new LlmSpan(), wall - 25_000, output);
    activity.advanceTime(Duration.ofMillis(200));
    kafka.onPeriodicEmit(output);
    assertThat(out).containsExactly("wm " + (wall - 25_000 - 5_000 - 1));
  }
}
