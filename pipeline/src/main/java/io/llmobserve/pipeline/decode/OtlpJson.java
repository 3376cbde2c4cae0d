package io.llmobserve.pipeline.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.util.JsonFormat;
import io.llmobserve.pipeline.limits.OtlpWireScanner;
import io.llmobserve.pipeline.limits.RequestLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * OTLP/JSON (the OTLP spec's JSON Protobuf Encoding) to protobuf bytes. Differences from protobuf's
 * canonical JSON mapping that the spec requires: trace and span ids are hex strings (not base64).
 * Strings are validated as the protobuf path validates them: the body must be well-formed UTF-8 and
 * escapes must not produce lone surrogates. The element count and nesting are bounded by a
 * streaming pass before any tree is built.
 */
public final class OtlpJson {
  private OtlpJson() {}

  /** Why a JSON body was refused. */
  public static final class Rejected extends Exception {
    public final OtlpWireScanner.Verdict verdict;

    Rejected(OtlpWireScanner.Verdict verdict, String message) {
      super(message, null, false, false);
      this.verdict = verdict;
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  /**
   * Whether a Kafka record is OTLP/JSON (the Collector's Kafka exporter with {@code encoding:
   * otlp_json}) rather than protobuf: a protobuf request never starts with '{' (field 15, start
   * group: no such field in OTLP), and the exporter writes no whitespace before it.
   */
  public static boolean isJsonRecord(byte[] record) {
    return record.length > 0 && record[0] == '{';
  }

  public static byte[] toProtobuf(byte[] json, RequestLimits limits) throws Rejected {
    if (!OtlpWireScanner.validUtf8(json, 0, json.length)) {
      throw new Rejected(OtlpWireScanner.Verdict.MALFORMED, "OTLP/JSON body is not valid UTF-8");
    }
    // Request -> resourceSpans[] -> {} -> scopeSpans[] -> {} -> spans[] -> {} -> attributes[] -> {}
    // -> value {} : 10 levels, then 2 (arrayValue/kvlistValue {} + values []) + 1 per nested value.
    int maxNesting = 12 + 3 * limits.maxDepth();
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxNesting).build())
            .build();
    long objects = 0;
    try (JsonParser p = factory.createParser(json)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT && ++objects > limits.maxElements()) {
          throw new Rejected(
              OtlpWireScanner.Verdict.TOO_MANY_ELEMENTS,
              "OTLP/JSON request has more than " + limits.maxElements() + " objects");
        } else if (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) {
          checkSurrogates(p.getText());
        }
      }
    } catch (StreamConstraintsException e) {
      throw new Rejected(
          OtlpWireScanner.Verdict.TOO_DEEP, "OTLP/JSON nesting exceeds " + maxNesting);
    } catch (IOException e) {
      throw new Rejected(
          OtlpWireScanner.Verdict.MALFORMED, "malformed OTLP JSON: " + e.getMessage());
    }
    try {
      JsonNode root = MAPPER.readTree(json);
      if (!(root instanceof ObjectNode)) {
        throw new Rejected(OtlpWireScanner.Verdict.MALFORMED, "OTLP/JSON body must be an object");
      }
      hexIdsToBase64(root);
      ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
      PARSER.merge(MAPPER.writeValueAsString(root), b);
      return b.build().toByteArray();
    } catch (Rejected e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new Rejected(
          OtlpWireScanner.Verdict.MALFORMED, "malformed OTLP JSON: " + e.getMessage());
    }
  }

  private static void checkSurrogates(String s) throws Rejected {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new Rejected(
              OtlpWireScanner.Verdict.MALFORMED,
              "OTLP/JSON string with an unpaired surrogate escape");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new Rejected(
            OtlpWireScanner.Verdict.MALFORMED,
            "OTLP/JSON string with an unpaired surrogate escape");
      }
    }
  }

  /**
   * resourceSpans[].scopeSpans[].spans[].{traceId,spanId,parentSpanId,links[].{traceId,spanId}}.
   */
  private static void hexIdsToBase64(JsonNode root) throws Rejected {
    for (JsonNode rs : array(root, "resourceSpans", "resource_spans")) {
      for (JsonNode ss : array(rs, "scopeSpans", "scope_spans")) {
        for (JsonNode span : array(ss, "spans")) {
          convert(span, 16, "traceId", "trace_id");
          convert(span, 8, "spanId", "span_id");
          convert(span, 8, "parentSpanId", "parent_span_id");
          for (JsonNode link : array(span, "links")) {
            convert(link, 16, "traceId", "trace_id");
            convert(link, 8, "spanId", "span_id");
          }
        }
      }
    }
  }

  private static Iterable<JsonNode> array(JsonNode n, String... names) {
    for (String name : names) {
      JsonNode a = n.get(name);
      if (a instanceof ArrayNode) {
        return a;
      }
    }
    return List.of();
  }

  private static void convert(JsonNode n, int bytes, String... names) throws Rejected {
    if (!(n instanceof ObjectNode o)) {
      return;
    }
    for (String name : names) {
      JsonNode v = o.get(name);
      if (v == null || v.isNull()) {
        continue;
      }
      String hex = v.asText();
      if (hex.isEmpty()) {
        continue; // unset
      }
      if (!v.isTextual() || hex.length() != bytes * 2) {
        throw new Rejected(
            OtlpWireScanner.Verdict.MALFORMED,
            name
                + " must be "
                + bytes * 2
                + " hex digits (OTLP/JSON), got '"
                + abbreviate(hex)
                + "'");
      }
      try {
        o.set(
            name,
            TextNode.valueOf(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex))));
      } catch (IllegalArgumentException e) {
        throw new Rejected(
            OtlpWireScanner.Verdict.MALFORMED,
            name + " must be hex digits (OTLP/JSON), got '" + abbreviate(hex) + "'");
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
