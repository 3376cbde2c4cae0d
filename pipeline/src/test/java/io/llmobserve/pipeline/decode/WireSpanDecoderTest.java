package io.llmobserve.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.llmobserve.pipeline.bench.OtlpPayloads;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.StringCache;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire decoder gives exactly what protobuf-java's parse + SpanMapper give, bytes for bytes. */
class WireSpanDecoderTest {
  private static final String[] KEYS = {
    "gen_ai.provider.name",
    "gen_ai.system",
    "gen_ai.operation.name",
    "gen_ai.request.model",
    "gen_ai.response.model",
    "gen_ai.request.stream",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.reasoning.output_tokens",
    "llm.usage.estimated",
    "gen_ai.response.time_to_first_chunk",
    "server.address",
    "http.response.status_code",
    "error.type",
    "openai.response.system_fingerprint",
    "llm.hosting.provider",
    "llm.hosting.region",
    "llm.edge.pop",
    "llm.server.processing_time",
    "llm.ratelimit.remaining_tokens",
    "llm.ratelimit.remaining_requests",
    "llm.ratelimit.limit_tokens",
    "gen_ai.other",
    "http.method",
    "db.system",
    "url.full",
    "service.name",
    "héllo.wörld"
  };

  @Test
  void randomRequestsDecodeAlike() throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 300; i++) {
      byte[] bytes = randomRequest(r);
      assertSameAsProtobuf(bytes);
    }
  }

  @Test
  void theBenchmarkPayloadDecodesAlike() throws Exception {
    assertSameAsProtobuf(OtlpPayloads.mixedBatch("svc", 200, 1_700_000_000_000L).toByteArray());
  }

  @Test
  void repeatedFieldsMergeAsProtobufDoes() throws Exception {
    // Parsing the concatenation of two messages merges them: the second span's scalars win, its
    // attributes append, its status merges; two values of one attribute merge (arrays append).
    Span a =
        OtlpPayloads.call("openai", "gpt-4o", 1_000, 1.0)
            .str("llm.hosting.region", "eu")
            .build()
            .toBuilder()
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .addAttributes(
                KeyValue.newBuilder().setKey("llm.usage.estimated").setValue(array("input")))
            .build();
    Span b =
        Span.newBuilder()
            .setEndTimeUnixNano(5_000_000_000L)
            .setStatus(Status.newBuilder().setMessage("m"))
            .addAttributes(
                KeyValue.newBuilder().setKey("llm.usage.estimated").setValue(array("output")))
            .build();
    byte[] merged = concat(a.toByteArray(), b.toByteArray());
    KeyValue kv1 =
        KeyValue.newBuilder().setKey("llm.usage.estimated").setValue(array("input")).build();
    byte[] kvMerged =
        concat(
            kv1.toByteArray(),
            KeyValue.newBuilder().setValue(array("output")).build().toByteArray());
    ByteArrayOutputStream spanBytes = new ByteArrayOutputStream();
    spanBytes.write(merged);
    CodedOutputStream out = CodedOutputStream.newInstance(spanBytes);
    out.writeByteArray(9, kvMerged);
    out.flush();
    assertSameAsProtobuf(requestWithRawSpan("svc", spanBytes.toByteArray(), true));
    assertSameAsProtobuf(requestWithRawSpan("svc", spanBytes.toByteArray(), false));
  }

  @Test
  void truncatedBytesAreMalformedAndEmitNothing() throws Exception {
    byte[] ok = OtlpPayloads.mixedBatch("svc", 5, 1_000L).toByteArray();
    for (int cut : new int[] {1, 7, ok.length / 2, ok.length - 1}) {
      byte[] bad = java.util.Arrays.copyOf(ok, cut);
      List<LlmSpan> calls = new ArrayList<>();
      boolean protobufFails;
      try {
        ExportTraceServiceRequest.parseFrom(bad);
        protobufFails = false;
      } catch (Exception e) {
        protobufFails = true;
      }
      if (protobufFails) {
        assertThatThrownBy(() -> WireSpanDecoder.decode(bad, calls::add, s -> {}))
            .isInstanceOf(WireSpanDecoder.Malformed.class);
        assertThat(calls).isEmpty();
      } else {
        assertSameAsProtobuf(bad);
      }
    }
    assertThatThrownBy(() -> WireSpanDecoder.decode(new byte[] {(byte) 0xff}, s -> {}, s -> {}))
        .isInstanceOf(WireSpanDecoder.Malformed.class);
  }

  private static void assertSameAsProtobuf(byte[] bytes) throws Exception {
    List<LlmSpan> expected = new ArrayList<>();
    List<SpanMapper.Skip> expectedSkips = new ArrayList<>();
    long expectedSpans =
        OtlpDecoder.decode(
            ExportTraceServiceRequest.parseFrom(bytes), expected::add, expectedSkips::add);
    List<LlmSpan> actual = new ArrayList<>();
    List<SpanMapper.Skip> actualSkips = new ArrayList<>();
    long spans = WireSpanDecoder.decode(bytes, actual::add, actualSkips::add);
    assertThat(spans).isEqualTo(expectedSpans);
    assertThat(actualSkips).isEqualTo(expectedSkips);
    assertThat(actual)
        .usingRecursiveComparison()
        .withEqualsForType((x, y) -> Double.compare(x, y) == 0, Double.class)
        .isEqualTo(expected);
    // the job decodes through a StringCache shared by every request of its task: same calls
    List<LlmSpan> cached = new ArrayList<>();
    assertThat(WireSpanDecoder.decode(bytes, STRINGS, cached::add, s -> {})).isEqualTo(spans);
    assertThat(cached)
        .usingRecursiveComparison()
        .withEqualsForType((x, y) -> Double.compare(x, y) == 0, Double.class)
        .isEqualTo(expected);
  }

  /** One cache for every request of the test, as in a decoder task (hits, misses, evictions). */
  private static final StringCache STRINGS = new StringCache();

  private static byte[] randomRequest(Random r) throws Exception {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    int resources = 1 + r.nextInt(3);
    for (int i = 0; i < resources; i++) {
      var rs = req.addResourceSpansBuilder();
      if (r.nextInt(5) > 0) {
        var res = rs.getResourceBuilder();
        if (r.nextBoolean()) {
          res.addAttributes(kv("host.name", AnyValue.newBuilder().setStringValue("h").build()));
        }
        res.addAttributes(kv("service.name", randomValue(r)));
      }
      int scopes = 1 + r.nextInt(2);
      for (int j = 0; j < scopes; j++) {
        var ss = rs.addScopeSpansBuilder();
        int n = r.nextInt(6);
        for (int k = 0; k < n; k++) {
          ss.addSpans(randomSpan(r));
        }
      }
    }
    return req.build().toByteArray();
  }

  private static Span randomSpan(Random r) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setName("n")
            .setStartTimeUnixNano(r.nextLong() >>> 1)
            .setEndTimeUnixNano(r.nextLong() >>> 1)
            .setKind(Span.SpanKind.forNumber(r.nextInt(6)));
    if (r.nextBoolean()) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.forNumber(r.nextInt(3))));
    }
    int attrs = r.nextInt(12);
    for (int i = 0; i < attrs; i++) {
      s.addAttributes(kv(KEYS[r.nextInt(KEYS.length)], randomValue(r)));
    }
    return s.build();
  }

  private static AnyValue randomValue(Random r) {
    return switch (r.nextInt(9)) {
      case 0 ->
          AnyValue.newBuilder()
              .setStringValue(
                  new String[] {"openai", "gpt-4o", " 42 ", "true", "", "x"}[r.nextInt(6)])
              .build();
      case 1 -> AnyValue.newBuilder().setStringValue("ü-" + r.nextInt(100)).build();
      case 2 -> AnyValue.newBuilder().setBoolValue(r.nextBoolean()).build();
      case 3 -> AnyValue.newBuilder().setIntValue(r.nextInt(2000) - 100).build();
      case 4 ->
          AnyValue.newBuilder()
              .setDoubleValue(
                  new double[] {Double.NaN, 1.5, -2, Double.POSITIVE_INFINITY}[r.nextInt(4)])
              .build();
      case 5 -> array(new String[] {"input", "output", "x"}[r.nextInt(3)], "output");
      case 6 ->
          AnyValue.newBuilder()
              .setKvlistValue(
                  KeyValueList.newBuilder()
                      .addValues(kv("a", AnyValue.newBuilder().setIntValue(1).build())))
              .build();
      case 7 -> AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("b")).build();
      default -> AnyValue.getDefaultInstance();
    };
  }

  private static AnyValue array(String... values) {
    ArrayValue.Builder a = ArrayValue.newBuilder();
    for (String v : values) {
      a.addValues(AnyValue.newBuilder().setStringValue(v));
    }
    a.addValues(AnyValue.newBuilder().setIntValue(3));
    return AnyValue.newBuilder().setArrayValue(a).build();
  }

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** A request whose span bytes are given raw; the resource before or after the spans. */
  private static byte[] requestWithRawSpan(String service, byte[] span, boolean resourceFirst)
      throws Exception {
    ByteArrayOutputStream scope = new ByteArrayOutputStream();
    CodedOutputStream so = CodedOutputStream.newInstance(scope);
    so.writeByteArray(2, span);
    so.flush();
    byte[] resource =
        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
            .addAttributes(
                kv("service.name", AnyValue.newBuilder().setStringValue(service).build()))
            .build()
            .toByteArray();
    ByteArrayOutputStream rs = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(rs);
    if (resourceFirst) {
      ro.writeByteArray(1, resource);
    }
    ro.writeByteArray(2, scope.toByteArray());
    if (!resourceFirst) {
      ro.writeByteArray(1, resource);
    }
    ro.flush();
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream qo = CodedOutputStream.newInstance(req);
    qo.writeByteArray(1, rs.toByteArray());
    qo.flush();
    return req.toByteArray();
  }
}
