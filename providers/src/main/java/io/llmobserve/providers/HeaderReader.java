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

  /**
   * Passes the name of every header present to {@code sink} (in any case, a name at least once) and
   * returns true; false when this client's headers cannot be listed (the default). A response is
   * asked for some 35 names, most of them headers another provider sends: with the names listed, a
   * lookup of an absent one is answered without asking the client (see {@code PresentHeaders}).
   */
  default boolean listNames(NameSink sink) {
    return false;
  }

  /** Receives header names from {@link #listNames}. */
  @FunctionalInterface
  interface NameSink {
    void name(String headerName);
  }

  HeaderReader NONE = name -> null;
}
