package io.llmobserve.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void bareNumberIsMillisecondsAndUnitsAreAccepted() {
    assertThat(converter.convert("1500")).isEqualTo(Duration.ofMillis(1500));
    assertThat(converter.convert("0")).isEqualTo(Duration.ZERO);
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert(" 90s ")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("10 m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(converter.convert("1H")).isEqualTo(Duration.ofHours(1));
    assertThat(converter.convert("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(converter.convert("PT10M")).isEqualTo(Duration.ofMinutes(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-1s", "1.5s", "10x", "s", "99999999999999999999"})
  void badValuesNameTheValue(String bad) {
    assertThatThrownBy(() -> converter.convert(bad))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage(
            "'" + bad + "' is not a duration like 500ms, 90s, 10m or 1h (a bare number = ms)");
  }

  @Test
  void theCommandLineNamesTheOption() {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new DemoApp())
            .setErr(new PrintWriter(err))
            .execute("--duration", "ten minutes");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value for option '--duration': 'ten minutes' is not a duration");
  }
}
