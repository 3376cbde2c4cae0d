package io.llmobserve.providers;

import io.llmobserve.providers.headers.HeaderNumbers;

/**
 * Case-insensitive header lookup supplied by whichever HTTP client is instrumented, so the library
 * never depends on a client's header type. Names are passed in lower case.
 */
@FunctionalInterface
public interface HeaderReader {
  /** First value of the header, or null when absent. */
  String get(String lowerCaseName);

  /**
   * The header's value as a non-negative decimal integer (blanks around it allowed), -1 when absent
   * or not one. Clients whose header values are not Strings already override it to parse in place.
   */
  default long getLong(String lowerCaseName) {
    String value = get(lowerCaseName);
    return value == null ? -1 : HeaderNumbers.parseLong(value, 0, value.length());
  }

  /** The header's value as a finite decimal number, NaN when absent or not one (see getLong). */
  default double getDouble(String lowerCaseName) {
    String value = get(lowerCaseName);
    return value == null ? Double.NaN : HeaderNumbers.parseDouble(value, 0, value.length());
  }

  HeaderReader NONE = name -> null;
}
