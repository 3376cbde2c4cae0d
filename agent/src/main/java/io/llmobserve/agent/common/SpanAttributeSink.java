package io.llmobserve.agent.common;

import io.llmobserve.providers.AttributeSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/** Adapts the providers library's attribute output to a span. Null values are skipped. */
public final class SpanAttributeSink implements AttributeSink {
  private final Span span;

  public SpanAttributeSink(Span span) {
    this.span = span;
  }

  @Override
  public void put(String key, String value) {
    if (key != null && value != null) {
      span.setAttribute(key, value);
    }
  }

  @Override
  public void put(String key, long value) {
    if (key != null) {
      span.setAttribute(key, value);
    }
  }

  @Override
  public void put(String key, double value) {
    if (key != null && !Double.isNaN(value)) {
      span.setAttribute(key, value);
    }
  }

  @Override
  public void put(String key, boolean value) {
    if (key != null) {
      span.setAttribute(key, value);
    }
  }

  @Override
  public void put(String key, List<String> values) {
    if (key != null && values != null) {
      span.setAttribute(AttributeKey.stringArrayKey(key), values);
    }
  }
}
