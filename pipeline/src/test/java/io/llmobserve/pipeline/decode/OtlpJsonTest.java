package io.llmobserve.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.llmobserve.pipeline.limits.OtlpWireScanner;
import io.llmobserve.pipeline.limits.RequestLimits;
import io.llmobserve.pipeline.model.LlmSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** OTLP/JSON per the spec: hex ids, UTF-8 validated like protobuf, same result as protobuf. */
public class OtlpJsonTest {
  // The ids of the OTLP specification's JSON examples (examples/trace.json).
  public static final String TRACE_ID = "5B8EFFF798038103D269B633813FC60C";
  public static final String SPAN_ID = "EEE19B7EC3C1B174";
  static final String PARENT_ID = "AAAAAAAAAAAAAAAA";

  public static String json(String traceId, String spanId, String model) {
    return """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},
          "scopeSpans":[{"scope":{"name":"llm-observe"},"spans":[{"traceId":"%s","spanId":"%s","parentSpanId":"%s",
            "name":"chat","kind":3,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
            "attributes":[{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},
                          {"key":"gen_ai.request.model","value":{"stringValue":"%s"}},
                          {"key":"gen_ai.usage.input_tokens","value":{"intValue":"7"}},
                          {"key":"gen_ai.usage.output_tokens","value":{"intValue":3}}],
            "links":[{"traceId":"%s","spanId":"%s"}],
            "status":{"code":2}}]}]}]}
        """
        .formatted(traceId, spanId, PARENT_ID, model, traceId, spanId);
  }

  /**
   * The request as the Collector's Kafka exporter writes it with {@code encoding: otlp_json}
   * (OTLP's JSON encoding: protobuf's JSON names, enums as integers, hex trace and span ids).
   */
  public static byte[] collectorJson(ExportTraceServiceRequest request) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode root =
        mapper.readTree(
            JsonFormat.printer()
                .printingEnumsAsInts()
                .omittingInsignificantWhitespace()
                .print(request));
    for (JsonNode rs : root.path("resourceSpans")) {
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode span : ss.path("spans")) {
          hexIds((ObjectNode) span);
          for (JsonNode link : span.path("links")) {
            hexIds((ObjectNode) link);
          }
        }
      }
    }
    return mapper.writeValueAsBytes(root);
  }

  private static void hexIds(ObjectNode o) {
    for (String id : List.of("traceId", "spanId", "parentSpanId")) {
      if (o.has(id)) {
        o.put(id, HexFormat.of().formatHex(Base64.getDecoder().decode(o.get(id).asText())));
      }
    }
  }

  public static ExportTraceServiceRequest proto(String model) {
    HexFormat hex = HexFormat.of();
    Span span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(hex.parseHex(TRACE_ID.toLowerCase(Locale.ROOT))))
            .setSpanId(ByteString.copyFrom(hex.parseHex(SPAN_ID.toLowerCase(Locale.ROOT))))
            .setParentSpanId(ByteString.copyFrom(hex.parseHex(PARENT_ID.toLowerCase(Locale.ROOT))))
            .setName("chat")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(1544712660000000000L)
            .setEndTimeUnixNano(1544712661000000000L)
            .addAttributes(
                kv("gen_ai.provider.name", AnyValue.newBuilder().setStringValue("openai")))
            .addAttributes(kv("gen_ai.request.model", AnyValue.newBuilder().setStringValue(model)))
            .addAttributes(kv("gen_ai.usage.input_tokens", AnyValue.newBuilder().setIntValue(7)))
            .addAttributes(kv("gen_ai.usage.output_tokens", AnyValue.newBuilder().setIntValue(3)))
            .addLinks(
                Span.Link.newBuilder()
                    .setTraceId(
                        ByteString.copyFrom(hex.parseHex(TRACE_ID.toLowerCase(Locale.ROOT))))
                    .setSpanId(ByteString.copyFrom(hex.parseHex(SPAN_ID.toLowerCase(Locale.ROOT)))))
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            kv("service.name", AnyValue.newBuilder().setStringValue("json-svc"))))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("llm-observe"))
                        .addSpans(span)))
        .build();
  }

  private static KeyValue kv(String k, AnyValue.Builder v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  @Test
  void hexIdsOfTheSpecExamplesGiveTheSameRequestAsProtobuf() throws Exception {
    byte[] fromJson =
        OtlpJson.toProtobuf(
            json(TRACE_ID, SPAN_ID, "gpt-4o").getBytes(StandardCharsets.UTF_8),
            RequestLimits.defaults());
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(fromJson);
    assertThat(parsed).isEqualTo(proto("gpt-4o"));
    Span span = parsed.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getTraceId().size()).isEqualTo(16);
    assertThat(span.getSpanId().size()).isEqualTo(8);
    // And the same LLM call, field by field.
    assertThat(calls(parsed))
        .usingRecursiveComparison()
        .withEqualsForType(
            (a, b) -> Double.compare(a, b) == 0, Double.class) // NaN = not reported, on both
        .isEqualTo(calls(proto("gpt-4o")));
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo(TRACE_ID.toLowerCase(Locale.ROOT));
    assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray()))
        .isEqualTo(SPAN_ID.toLowerCase(Locale.ROOT));
  }

  private static List<LlmSpan> calls(ExportTraceServiceRequest r) {
    List<LlmSpan> out = new ArrayList<>();
    OtlpDecoder.decode(r, out::add, skip -> {});
    return out;
  }

  @Test
  void theCollectorsJsonOfARequestReadsBackToTheSameRequest() throws Exception {
    ExportTraceServiceRequest r = proto("gpt-4o-mini");
    byte[] json = collectorJson(r);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .startsWith("{\"resourceSpans\":[")
        .contains("\"traceId\":\"" + TRACE_ID.toLowerCase(Locale.ROOT) + "\"")
        .contains("\"kind\":3");
    assertThat(
            ExportTraceServiceRequest.parseFrom(
                OtlpJson.toProtobuf(json, RequestLimits.defaults())))
        .isEqualTo(r);
  }

  @Test
  void base64OrWrongLengthIdsAreRejected() {
    // What protobuf's canonical JSON mapping would have accepted: base64 of the same 16 bytes.
    String base64 =
        Base64.getEncoder()
            .encodeToString(HexFormat.of().parseHex(TRACE_ID.toLowerCase(Locale.ROOT)));
    assertRejected(json(base64, SPAN_ID, "m"), OtlpWireScanner.Verdict.MALFORMED);
    assertRejected(json(TRACE_ID, SPAN_ID + "00", "m"), OtlpWireScanner.Verdict.MALFORMED);
    assertRejected(
        json(TRACE_ID.replace('B', 'Z'), SPAN_ID, "m"), OtlpWireScanner.Verdict.MALFORMED);
  }

  @Test
  void invalidUtf8AndLoneSurrogatesAreRejectedAsInProtobuf() {
    byte[] good = json(TRACE_ID, SPAN_ID, "gpt-XX").getBytes(StandardCharsets.UTF_8);
    byte[] bad = good.clone();
    int at = new String(good, StandardCharsets.ISO_8859_1).indexOf("gpt-XX") + 4;
    bad[at] = (byte) 0xC3; // a lead byte followed by ASCII: not UTF-8
    bad[at + 1] = (byte) 0x28;
    assertThatThrownBy(() -> OtlpJson.toProtobuf(bad, RequestLimits.defaults()))
        .isInstanceOfSatisfying(
            OtlpJson.Rejected.class,
            e -> assertThat(e.verdict).isEqualTo(OtlpWireScanner.Verdict.MALFORMED))
        .hasMessageContaining("UTF-8");
    byte[] overlong = good.clone();
    overlong[at] = (byte) 0xC0; // overlong encoding of '/'
    overlong[at + 1] = (byte) 0xAF;
    assertThatThrownBy(() -> OtlpJson.toProtobuf(overlong, RequestLimits.defaults()))
        .isInstanceOf(OtlpJson.Rejected.class);
    assertRejected(json(TRACE_ID, SPAN_ID, "gpt-\\ud800x"), OtlpWireScanner.Verdict.MALFORMED);
    // The protobuf path rejects the same bytes in a string field.
    byte[] proto = proto("gpt-XX").toByteArray();
    int p = new String(proto, StandardCharsets.ISO_8859_1).indexOf("gpt-XX") + 4;
    proto[p] = (byte) 0xC3;
    proto[p + 1] = (byte) 0x28;
    assertThat(OtlpWireScanner.scan(proto, RequestLimits.defaults()).verdict())
        .isEqualTo(OtlpWireScanner.Verdict.MALFORMED);
    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(proto)).isNotNull();
  }

  @Test
  void elementAndNestingBoundsApplyBeforeATreeIsBuilt() {
    RequestLimits small = new RequestLimits(10, 100, 50, 3, 100);
    StringBuilder many = new StringBuilder("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[");
    for (int i = 0; i < 100; i++) {
      many.append(i == 0 ? "" : ",").append("{}");
    }
    many.append("]}]}]}");
    assertThatThrownBy(
            () -> OtlpJson.toProtobuf(many.toString().getBytes(StandardCharsets.UTF_8), small))
        .isInstanceOfSatisfying(
            OtlpJson.Rejected.class,
            e -> assertThat(e.verdict).isEqualTo(OtlpWireScanner.Verdict.TOO_MANY_ELEMENTS));
    String deep = "[".repeat(100) + "]".repeat(100);
    assertThatThrownBy(
            () ->
                OtlpJson.toProtobuf(
                    ("{\"x\":" + deep + "}").getBytes(StandardCharsets.UTF_8), small))
        .isInstanceOfSatisfying(
            OtlpJson.Rejected.class,
            e -> assertThat(e.verdict).isEqualTo(OtlpWireScanner.Verdict.TOO_DEEP));
  }

  private static void assertRejected(String json, OtlpWireScanner.Verdict verdict) {
    assertThatThrownBy(
            () ->
                OtlpJson.toProtobuf(
                    json.getBytes(StandardCharsets.UTF_8), RequestLimits.defaults()))
        .isInstanceOfSatisfying(
            OtlpJson.Rejected.class, e -> assertThat(e.verdict).isEqualTo(verdict));
  }
}
