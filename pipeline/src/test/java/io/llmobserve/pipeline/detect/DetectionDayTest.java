package io.llmobserve.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.bench.TrafficDay;
import org.junit.jupiter.api.Test;

/**
 * A shorter {@link TrafficDay} (06:00-15:00, load curve, heavy tail, deploy gap, drift, one
 * incident per window kind) through the job's window aggregation and detectors: every incident
 * caught within three windows, no alert on the clean keys. The full day is {@code
 * bench.DetectionDayBenchmark}.
 */
class DetectionDayTest {

  @Test
  void everyKindFiresOnItsIncidentAndCleanKeysStayQuiet() {
    TrafficDay day = new TrafficDay(6, 9, 3, 11);
    TrafficDay.Result r = day.run(DetectorSettings.defaults());
    assertThat(r.detections())
        .hasSize(WindowKind.values().length)
        .allSatisfy(
            d -> {
              assertThat(d.detected()).as(d.incident().kind().kind + " detected").isTrue();
              assertThat(d.delayWindows())
                  .as(d.incident().kind().kind + " delay in windows")
                  .isLessThanOrEqualTo(3);
            });
    assertThat(r.falseAlerts()).isEmpty();
  }
}
