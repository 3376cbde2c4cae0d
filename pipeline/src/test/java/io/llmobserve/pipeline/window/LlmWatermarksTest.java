package io.llmobserve.pipeline.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class LlmWatermarksTest {
  long wall = 1_000_000;
  final List<String> out = new ArrayList<>();
  final WatermarkOutput output = new WatermarkOutput() {
    @Override public void emitWatermark(Watermark w) { out.add("wm " + w.getTimestamp()); }
    @Override public void markIdle() { out.add("idle"); }
    @Override public void markActive() { out.add("active"); }
  };
  final LlmWatermarks<LlmSpan> gen = new LlmWatermarks<>(Duration.ofSeconds(5), Duration.ofSeconds(10), () -> wall);

  @Test
  void boundedOutOfOrdernessWhileSpansFlow() {
    gen.onEvent(new LlmSpan(), 100_000, output);
    gen.onEvent(new LlmSpan(), 90_000, output); // out of order: does not move the watermark back
    gen.onPeriodicEmit(output);
    assertThat(out).containsExactly("active", "wm 94999");
  }

  @Test
  void quietInputFollowsTheWallClockSoWindowsClose() {
    gen.onEvent(new LlmSpan(), 100_000, output);
    wall += 3_000;
    gen.onPeriodicEmit(output); // not idle yet
    wall += 9_000; // 12 s without spans
    gen.onPeriodicEmit(output);
    assertThat(out).containsExactly("active", "wm 94999", "wm 106999");
  }

  @Test
  void anInputThatNeverSawASpanGoesIdleOnlyAfterTheStartUpGrace() {
    gen.onPeriodicEmit(output);
    wall += 10_000 - 1;
    gen.onPeriodicEmit(output); // a reader slow to get its first records must not be skipped yet
    wall += 1;
    gen.onPeriodicEmit(output);
    assertThat(out).containsExactly("idle");
  }
}
