package io.llmobserve.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectorSettingsTest {

  @Test
  void defaultsAreValidAndDocumented() {
    DetectorSettings d = DetectorSettings.defaults();
    SpikeParams latency = d.spikeParams(WindowKind.LATENCY_SPIKE);
    assertThat(latency.threshold).isEqualTo(5.0);
    assertThat(latency.warmupWindows).isEqualTo(30);
    assertThat(latency.direction).isEqualTo(Direction.UP);
    assertThat(d.minCalls(WindowKind.LATENCY_SPIKE)).isEqualTo(5);
    assertThat(d.minCount(WindowKind.ERROR_BURST)).isEqualTo(3);
    assertThat(d.residencyEnabled()).isFalse();
    for (WindowKind k : WindowKind.values()) {
      assertThat(d.enabled(k)).isTrue();
      d.spikeParams(k).validate(k.settingsPrefix + ".");
    }
  }

  @Test
  void parsesPrefixedAndGlobalKeysPrefixedWinning() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("latency.warmup.windows", "12"); // before the global key on purpose
    m.put("warmup.windows", "50");
    m.put("latency.threshold", "6.5");
    m.put("latency.direction", "BOTH");
    m.put("cost.enabled", "false");
    m.put("errors.min.count", "5");
    m.put("ttft.min.calls", "10");
    m.put("latency.season.buckets", "0");
    DetectorSettings d = DetectorSettings.fromMap(m);
    assertThat(d.spikeParams(WindowKind.LATENCY_SPIKE).warmupWindows).isEqualTo(12);
    assertThat(d.spikeParams(WindowKind.TOKEN_BURN).warmupWindows).isEqualTo(50);
    assertThat(d.spikeParams(WindowKind.LATENCY_SPIKE).threshold).isEqualTo(6.5);
    assertThat(d.spikeParams(WindowKind.TTFT_REGRESSION).threshold).isEqualTo(5.0);
    assertThat(d.spikeParams(WindowKind.LATENCY_SPIKE).direction).isEqualTo(Direction.BOTH);
    assertThat(d.spikeParams(WindowKind.LATENCY_SPIKE).seasonBuckets).isZero();
    assertThat(d.enabled(WindowKind.COST_SPIKE)).isFalse();
    assertThat(d.minCount(WindowKind.ERROR_BURST)).isEqualTo(5);
    assertThat(d.minCalls(WindowKind.TTFT_REGRESSION)).isEqualTo(10);
  }

  @Test
  void residencyAndDurations() {
    DetectorSettings d =
        DetectorSettings.fromMap(
            Map.of(
                "residency.allowed.OpenAI", "East US 2, Sweden Central,",
                "residency.allowed.anthropic", "us-east-1",
                "residency.quiet", "15m",
                "drift.stable", "PT2H",
                "routing.stable", "90s",
                "heartbeat", "500ms",
                "state.ttl", "2d"));
    assertThat(d.residencyEnabled()).isTrue();
    assertThat(d.residencyAllowed().get("openai")).containsExactly("east us 2", "sweden central");
    assertThat(d.residencyAllowed().get("anthropic")).containsExactly("us-east-1");
    assertThat(d.residencyQuietMillis()).isEqualTo(15 * 60_000L);
    assertThat(d.driftStableMillis()).isEqualTo(2 * 3_600_000L);
    assertThat(d.routingStableMillis()).isEqualTo(90_000L);
    assertThat(d.heartbeatMillis()).isEqualTo(500L);
    assertThat(d.stateTtlMillis()).isEqualTo(2 * 86_400_000L);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '=',
      value = {
        "latency.threshold=abc",
        "latency.threshold=-1",
        "latency.warmup.windows=2",
        "latency.warmup.windows=1.5",
        "latency.alpha=1.5",
        "latency.direction=sideways",
        "latency.clear.threshold=9",
        "errors.min.count=-3",
        "cost.enabled=yes",
        "residency.allowed.openai=' , '",
        "residency.quiet=soon",
        "drift.stable=0s",
        "drift.min.observations=0",
        "latency.nonsense=1",
        "nonsense=1",
      })
  void badValuesNameTheKey(String key, String value) {
    assertThatThrownBy(() -> DetectorSettings.fromMap(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key.startsWith("latency.clear") ? "latency.clear.threshold" : key);
  }

  @Test
  void globalKeyErrorsNameTheKey() {
    assertThatThrownBy(() -> DetectorSettings.fromMap(Map.of("threshold", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold")
        .hasMessageContaining("'x'");
  }
}
