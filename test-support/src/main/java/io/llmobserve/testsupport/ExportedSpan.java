package io.llmobserve.testsupport;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One span as it arrived over OTLP, with its attributes decoded to plain Java values. */
public record ExportedSpan(Resource resource, InstrumentationScope scope, Span span) {

  public String name() {
    return span.getName();
  }

  public Span.SpanKind kind() {
    return span.getKind();
  }

  public String traceId() {
    return HexFormat.of().formatHex(span.getTraceId().toByteArray());
  }

  public String spanId() {
    return HexFormat.of().formatHex(span.getSpanId().toByteArray());
  }

  public String parentSpanId() {
    return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
  }

  public double durationSeconds() {
    return (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e9;
  }

  public Map<String, Object> attributes() {
    return decode(span.getAttributesList());
  }

  public Object attr(String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return value(kv.getValue());
      }
    }
    return null;
  }

  public String resourceAttr(String key) {
    Object v = decode(resource.getAttributesList()).get(key);
    return v == null ? null : v.toString();
  }

  public boolean isGenAi() {
    return attr("gen_ai.provider.name") != null || attr("gen_ai.system") != null;
  }

  public boolean isGenAiClient() {
    return kind() == Span.SpanKind.SPAN_KIND_CLIENT && isGenAi();
  }

  static Map<String, Object> decode(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case ARRAY_VALUE ->
          v.getArrayValue().getValuesList().stream().map(ExportedSpan::value).toList();
      case BYTES_VALUE -> v.getBytesValue().toByteArray();
      default -> null;
    };
  }

  @Override
  public String toString() {
    return kind()
        + " '"
        + name()
        + "' scope="
        + scope.getName()
        + " span="
        + spanId()
        + " parent="
        + parentSpanId()
        + " "
        + attributes();
  }
}
