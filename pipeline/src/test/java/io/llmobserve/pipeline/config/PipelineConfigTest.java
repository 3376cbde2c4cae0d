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
    assertThat(c.alertsTopic).isEqualTo("llm_alerts");
    assertThat(c.pricing.size()).isGreaterThan(20);
  }

  @Test
  void badValuesNameTheFlag() {
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("window", "abc")))
        .hasMessage("--window must be a duration like 10s, got 'abc'");
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("otlp-port", "70000")))
        .hasMessageContaining("--otlp-port must be an integer between");
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("source", "kafka")))
        .hasMessageContaining("--kafka-bootstrap");
    assertThatThrownBy(() -> PipelineConfig.defaultsWith(Map.of("alerts-delivery", "maybe")))
        .hasMessageContaining("--alerts-delivery must be one of");
  }

  @Test
  void flagsOverrideTheFileAndDetectorKeysAreStripped(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.properties");
    Files.writeString(f, "window=30s\nmetrics-port=9999\ndetector.latency.threshold=4\n");
    Map<String, String> flags = new HashMap<>();
    flags.put("window", "5s");
    flags.put("otlp-port", null); // not given
    PipelineConfig c = PipelineConfig.resolve(f, flags);
    assertThat(c.window).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.metricsPort).isEqualTo(9999);
    assertThat(c.otlpPort).isEqualTo(4318);
    assertThat(c.detector).containsExactly(Map.entry("latency.threshold", "4"));
  }

  @Test
  void unknownFileKeysAreErrors(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.properties");
    Files.writeString(f, "windw=30s\n");
    assertThatThrownBy(() -> PipelineConfig.resolve(f, Map.of()))
        .hasMessageContaining("unknown key 'windw'");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Durations.parse("x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("x", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("x", "PT1H")).isEqualTo(Duration.ofHours(1));
  }
}
