package io.llmobserve.agent.common;

import io.llmobserve.providers.AttributeSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adapts the providers library's attribute output to a span. Null values are skipped. Keys are made
 * once per name ({@code Span.setAttribute(String, ..)} makes a new key object on every call); the
 * names come from the library's fixed set, and the cache is bounded anyway. A long attribute reuses
 * the boxed value its key was last set to when the value repeats (ports, status codes, rate limits:
 * the span stores values boxed, and most of these repeat from call to call).
 */
public final class SpanAttributeSink implements AttributeSink {
  private static final int MAX_CACHED_KEYS = 512;
  private static final ConcurrentHashMap<String, AttributeKey<String>> STRING_KEYS =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, LongKey> LONG_KEYS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, AttributeKey<Double>> DOUBLE_KEYS =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, AttributeKey<Boolean>> BOOLEAN_KEYS =
      new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, AttributeKey<List<String>>> STRING_ARRAY_KEYS =
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

  static LongKey longKey(String name) {
    LongKey k = LONG_KEYS.get(name);
    if (k == null) {
      k = new LongKey(AttributeKey.longKey(name));
      if (LONG_KEYS.size() < MAX_CACHED_KEYS) {
        LONG_KEYS.putIfAbsent(name, k);
      }
    }
    return k;
  }

  /** A long key and the boxed value it was last set to (immutable, so sharing it is safe). */
  static final class LongKey {
    final AttributeKey<Long> key;
    private volatile Long last;

    LongKey(AttributeKey<Long> key) {
      this.key = key;
    }

    /** {@code value} boxed, the same object as last time when it repeats. */
    Long boxed(long value) {
      Long l = last;
      if (l == null || l != value) {
        l = value;
        last = l;
      }
      return l;
    }

    /** Sets the attribute on {@code span}, reusing the last boxed value when it repeats. */
    void set(Span span, long value) {
      span.setAttribute(key, boxed(value));
    }
  }

  private static AttributeKey<List<String>> stringArrayKey(String name) {
    AttributeKey<List<String>> k = STRING_ARRAY_KEYS.get(name);
    if (k == null) {
      k = AttributeKey.stringArrayKey(name);
      if (STRING_ARRAY_KEYS.size() < MAX_CACHED_KEYS) {
        STRING_ARRAY_KEYS.putIfAbsent(name, k);
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
      longKey(key).set(span, value);
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
      span.setAttribute(stringArrayKey(key), values);
    }
  }
}
