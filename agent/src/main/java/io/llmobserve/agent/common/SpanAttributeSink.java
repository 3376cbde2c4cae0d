package io.llmobserve.agent.common;

import io.llmobserve.providers.AttributeSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adapts the providers library's attribute output to a span. Null values are skipped. Keys are made
 * once per name ({@code Span.setAttribute(String, ..)} makes a new key object on every call); the
 * names come from the library's fixed set, and the cache is bounded anyway.
 */
public final class SpanAttributeSink implements AttributeSink {
  private static final int MAX_CACHED_KEYS = 512;
  private static final ConcurrentHashMap<String, AttributeKey<String>> STRING_KEYS =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, AttributeKey<Long>> LONG_KEYS =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, AttributeKey<Double>> DOUBLE_KEYS =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, AttributeKey<Boolean>> BOOLEAN_KEYS =
      new ConcurrentHashMap<>();

  private final Span span;

  public SpanAttributeSink(Span span) {
    this.span = span;
  }

  static AttributeKey<String> stringKey(String name) {
    AttributeKey<String> k = STRING_KEYS.get(name);
    if (k == null) {
      k = AttributeKey.stringKey(name);
      if (STRING_KEYS.size() < MAX_CACHED_KEYS) {
        STRING_KEYS.putIfAbsent(name, k);
      }
    }
    return k;
  }

  static AttributeKey<Long> longKey(String name) {
    AttributeKey<Long> k = LONG_KEYS.get(name);
    if (k == null) {
      k = AttributeKey.longKey(name);
      if (LONG_KEYS.size() < MAX_CACHED_KEYS) {
        LONG_KEYS.putIfAbsent(name, k);
      }
    }
    return k;
  }

  private static AttributeKey<Double> doubleKey(String name) {
    AttributeKey<Double> k = DOUBLE_KEYS.get(name);
    if (k == null) {
      k = AttributeKey.doubleKey(name);
      if (DOUBLE_KEYS.size() < MAX_CACHED_KEYS) {
        DOUBLE_KEYS.putIfAbsent(name, k);
      }
    }
    return k;
  }

  private static AttributeKey<Boolean> booleanKey(String name) {
    AttributeKey<Boolean> k = BOOLEAN_KEYS.get(name);
    if (k == null) {
      k = AttributeKey.booleanKey(name);
      if (BOOLEAN_KEYS.size() < MAX_CACHED_KEYS) {
        BOOLEAN_KEYS.putIfAbsent(name, k);
      }
    }
    return k;
  }

  @Override
  public void put(String key, String value) {
    if (key != null && value != null) {
      span.setAttribute(stringKey(key), value);
    }
  }

  @Override
  public void put(String key, long value) {
    if (key != null) {
      span.setAttribute(longKey(key), value);
    }
  }

  @Override
  public void put(String key, double value) {
    if (key != null && !Double.isNaN(value)) {
      span.setAttribute(doubleKey(key), value);
    }
  }

  @Override
  public void put(String key, boolean value) {
    if (key != null) {
      span.setAttribute(booleanKey(key), value);
    }
  }

  @Override
  public void put(String key, List<String> values) {
    if (key != null && values != null) {
      span.setAttribute(AttributeKey.stringArrayKey(key), values);
    }
  }
}
