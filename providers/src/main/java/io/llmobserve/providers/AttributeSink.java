package io.llmobserve.providers;

import java.util.List;

/**
 * Receives span attributes (names from {@link GenAiAttributes}) without tying the library to the
 * OpenTelemetry API: the agent adapts it to an AttributesBuilder or Span.
 */
public interface AttributeSink {
  void put(String key, String value);

  void put(String key, long value);

  void put(String key, double value);

  void put(String key, boolean value);

  void put(String key, List<String> values);
}
