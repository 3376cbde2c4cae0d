package io.llmobserve.pipeline.config;

/**
 * One parser per value type for the {@code detector.*} keys, which are too many and too regular (a
 * setting per window kind) to be options of their own; the options' values are converted by
 * picocli. Every error names the key and the value: "detector setting K must be ..., got 'V'".
 */
public final class SettingValues {
  private SettingValues() {}

  public static boolean bool(String key, String value) {
    String v = strip(value);
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw bad(key, "true or false", value);
  }

  public static long integer(String key, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(strip(value));
    } catch (NumberFormatException e) {
      throw bad(key, "an integer", value);
    }
    if (n < min || n > max) {
      throw bad(key, "between " + min + " and " + max, value);
    }
    return n;
  }

  public static double number(String key, String value, double min, double max) {
    double d;
    try {
      d = Double.parseDouble(strip(value));
    } catch (NumberFormatException e) {
      throw bad(key, "a number", value);
    }
    if (!(d >= min && d <= max)) { // NaN fails too
      throw bad(key, "between " + min + " and " + max, value);
    }
    return d;
  }

  /** A {@link Durations} value (a bare number = ms) in milliseconds, at least {@code minMillis}. */
  public static long millis(String key, String value, long minMillis) {
    long ms;
    try {
      ms = Durations.parse(key, strip(value)).toMillis();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw bad(key, Durations.SYNTAX, value);
    }
    if (ms < minMillis) {
      throw bad(key, minMillis > 0 ? "a positive duration" : "at least " + minMillis + "ms", value);
    }
    return ms;
  }

  private static String strip(String value) {
    return value == null ? "" : value.strip();
  }

  private static IllegalArgumentException bad(String key, String what, String value) {
    return new IllegalArgumentException(
        "detector setting " + key + " must be " + what + ", got '" + value + "'");
  }
}
