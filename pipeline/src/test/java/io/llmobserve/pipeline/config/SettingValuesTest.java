package io.llmobserve.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SettingValuesTest {
  @Test
  void durationsAreFlinksWithBareMilliseconds() {
    assertThat(SettingValues.millis("k", "1500", 1)).isEqualTo(1500);
    assertThat(SettingValues.millis("k", " 90s ", 1)).isEqualTo(90_000);
    assertThat(SettingValues.millis("k", "15m", 1)).isEqualTo(900_000);
    assertThat(SettingValues.millis("k", "PT15M", 1)).isEqualTo(900_000);
    assertThat(SettingValues.millis("k", "0", 0)).isZero();
    assertThatThrownBy(() -> SettingValues.millis("drift.stable", "0", 1))
        .hasMessage("detector setting drift.stable must be a positive duration, got '0'");
    assertThatThrownBy(() -> SettingValues.millis("drift.stable", "soon", 1))
        .hasMessage(
            "detector setting drift.stable must be a duration like 500ms, 10s, 5m, 1h or 1d"
                + " (a bare number = ms), got 'soon'");
  }

  @Test
  void numbersAndBooleansNameTheKeyAndTheValue() {
    assertThat(SettingValues.integer("k", " 7 ", 0, 10)).isEqualTo(7);
    assertThat(SettingValues.number("k", "0.5", 0, 1)).isEqualTo(0.5);
    assertThat(SettingValues.bool("k", "TRUE")).isTrue();
    assertThatThrownBy(() -> SettingValues.integer("warmup.windows", "2.5", 3, 10))
        .hasMessage("detector setting warmup.windows must be an integer, got '2.5'");
    assertThatThrownBy(() -> SettingValues.integer("warmup.windows", "2", 3, 10))
        .hasMessage("detector setting warmup.windows must be between 3 and 10, got '2'");
    assertThatThrownBy(() -> SettingValues.number("alpha", "NaN", 0, 1))
        .hasMessage("detector setting alpha must be between 0.0 and 1.0, got 'NaN'");
    assertThatThrownBy(() -> SettingValues.number("alpha", "x", 0, 1))
        .hasMessage("detector setting alpha must be a number, got 'x'");
    assertThatThrownBy(() -> SettingValues.bool("drift.enabled", "yes"))
        .hasMessage("detector setting drift.enabled must be true or false, got 'yes'");
  }
}
