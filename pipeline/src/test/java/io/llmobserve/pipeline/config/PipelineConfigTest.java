package io.llmobserve.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
  @Test
  void defaultsAreSane() {
    PipelineConfig c = PipelineConfig.defaultsWith(Map.of());
    assertThat(c.source).isEqualTo("otlp");
    assertThat(c.otlpPort).isEqualTo(4318);
    assertThat(c.metricsPort).isEqualTo(9464);
    assertThat(c.window).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.kafkaTopic).isEqualTo("otlp_spans");
    assertThat(c.kafkaMetricsTopic).isEqualTo("otlp_metrics");
    assertThat(c.alertsTopic).isEqualTo("llm_alerts");
    assertThat(c.pricing.size()).isGreaterThan(20);
    assertThat(c.resolved).containsEntry("window", "10s").containsEntry("restore-from", "");
  }

  @Test
  void badValuesNameTheOptionAndTheValue() {
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("window", "abc")))
        .hasMessageStartingWith("Invalid value for option '--window': 'abc' is not a duration");
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("otlp-port", "70000")))
        .hasMessage("--otlp-port must be an integer between -1 and 65535, got '70000'");
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("window", "0")))
        .hasMessage("--window must be a positive duration like 10s, got '0'");
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("window", "50")))
        .hasMessage("--window must be at least 100ms, got '50'");
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("source", "kafka")))
        .hasMessageContaining("--kafka-bootstrap");
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("alerts-delivery", "maybe")))
        .hasMessage(
            "--alerts-delivery must be one of [at-least-once, exactly-once, none], got 'maybe'");
    assertThatThrownBy(() -> PipelineConfig.parse("--max-series", "1e6"))
        .hasMessage("Invalid value for option '--max-series': '1e6' is not an int");
  }

  @Test
  void flagsWinOverDWhichWinsOverTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.properties");
    Files.writeString(
        f,
        "window = 30s \nmetrics-port=9999\nidle-timeout=7s\ndetector.latency.threshold=4\n"
            + "detector.heartbeat=1m\n");
    PipelineConfig c =
        PipelineConfig.parse(
            "--config",
            f.toString(),
            "--window",
            "5s",
            "-D",
            "window=6s",
            "-D",
            "idle-timeout=8s",
            "-D",
            "detector.heartbeat=2m");
    assertThat(c.window).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.idleTimeout).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.metricsPort).isEqualTo(9999);
    assertThat(c.otlpPort).isEqualTo(4318);
    assertThat(c.detector)
        .containsExactly(Map.entry("heartbeat", "2m"), Map.entry("latency.threshold", "4"));
    // what with() and the embedded restart re-parse: the file's values included
    assertThat(c.resolved)
        .containsEntry("window", "5s")
        .containsEntry("metrics-port", "9999")
        .containsEntry("detector.latency.threshold", "4");
    PipelineConfig d = c.with("otlp-port", "0");
    assertThat(d.otlpPort).isZero();
    assertThat(d.metricsPort).isEqualTo(9999);
    assertThat(d.detector).isEqualTo(c.detector);
  }

  @Test
  void nullMeansNotGiven() {
    Map<String, String> flags = new HashMap<>();
    flags.put("window", "5s");
    flags.put("otlp-port", null);
    PipelineConfig c = PipelineConfig.defaultsWith(flags);
    assertThat(c.window).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.otlpPort).isEqualTo(4318);
  }

  @Test
  void unknownFileKeysAreErrors(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.properties");
    Files.writeString(f, "windw=30s\n");
    assertThatThrownBy(() -> PipelineConfig.parse("--config", f.toString()))
        .hasMessageContaining("unknown key 'windw'");
  }

  @Test
  void durationsFollowFlinksSyntaxWithBareMilliseconds() {
    assertThat(Durations.parse("x", "500")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("x", "0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("x", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("x", " 10 s ")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("x", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("x", "2min")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("x", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("x", "1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("x", "PT1H")).isEqualTo(Duration.ofHours(1));
    for (String bad : new String[] {"", " ", "abc", "-1s", "1.5s", "10x", "s"}) {
      assertThatThrownBy(() -> Durations.parse("--window", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "--window must be a duration like 500ms, 10s, 5m, 1h or 1d (a bare number = ms),"
                  + " got '"
                  + bad
                  + "'");
    }
    assertThatThrownBy(() -> Durations.parse("--window", null)).hasMessageContaining("got 'null'");
  }
}
