package io.llmobserve.demo;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** "500ms", "90s", "10m", "1h", or ISO-8601 ("PT10M"). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("pt")) {
      return Duration.parse(v.toUpperCase(Locale.ROOT));
    }
    if (v.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default ->
          throw new CommandLine.TypeConversionException(
              "not a duration: " + value + " (try 90s, 10m, 1h)");
    };
  }
}
