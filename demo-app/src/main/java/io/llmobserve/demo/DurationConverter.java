package io.llmobserve.demo;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The project's one duration syntax (DESIGN.md, "Durations"): a number and a unit ({@code 500ms},
 * {@code 90s}, {@code 10m}, {@code 1h}, {@code 1d}), a bare number = milliseconds, or ISO-8601
 * ({@code PT10M}). The same rule as the agent (OpenTelemetry's {@code ConfigProperties}) and the
 * pipeline (Flink's {@code TimeUtils}); written out here because the app depends on neither.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  @Override
  public Duration convert(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      Matcher m = AMOUNT_AND_UNIT.matcher(v);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      // the message below
    }
    throw new CommandLine.TypeConversionException(
        "'" + value + "' is not a duration like 500ms, 90s, 10m or 1h (a bare number = ms)");
  }
}
