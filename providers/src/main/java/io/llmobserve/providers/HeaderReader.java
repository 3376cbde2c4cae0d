package io.llmobserve.providers;

/**
 * Case-insensitive header lookup supplied by whichever HTTP client is instrumented, so the library
 * never depends on a client's header type. Names are passed in lower case.
 */
@FunctionalInterface
public interface HeaderReader {
  /** First value of the header, or null when absent. */
  String get(String lowerCaseName);

  HeaderReader NONE = name -> null;
}
