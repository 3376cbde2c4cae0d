package io.llmobserve.pipeline.config;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The pipeline's one duration syntax, Flink's ({@link TimeUtils#parseDuration}): a number and a
 * unit ({@code 500ms}, {@code 10s}, {@code 5m} or {@code 5min}, {@code 1h}, {@code 1d}), a bare
 * number = milliseconds (as in the agent's OpenTelemetry settings), or ISO-8601 ({@code PT15M}).
 * Used for every option and every {@code detector.*} key.
 */
public final class Durations {
  private Durations() {}

  static final String SYNTAX = "a duration like 500ms, 10s, 5m, 1h or 1d (a bare number = ms)";

  /**
   * @param name how the user spelled the setting ({@code --window}, {@code detector.heartbeat}),
   *     named in the error
   * @throws IllegalArgumentException naming the setting and the value when it is not a duration
   */
  public static Duration parse(String name, String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " must be " + SYNTAX + ", got '" + value + "'", e);
    }
  }

  private static Duration parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("no value");
    }
    // Flink reports a bad number as NumberFormatException, a subclass of IllegalArgumentException
    return TimeUtils.parseDuration(value);
  }

  /** For picocli options: picocli names the option and the value around the message. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not " + SYNTAX);
      }
    }
  }
}
