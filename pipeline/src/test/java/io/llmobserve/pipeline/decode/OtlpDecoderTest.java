package io.llmobserve.pipeline.decode;

import static io.llmobserve.pipeline.bench.OtlpPayloads.call;
import static io.llmobserve.pipeline.bench.OtlpPayloads.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.bench.OtlpPayloads;
import io.llmobserve.pipeline.limits.OtlpWireScannerTest;
import io.llmobserve.pipeline.limits.RequestLimits;
import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.StringCache;
import io.llmobserve.testsupport.CloseAfterEach;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OtlpDecoderTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private static final long NOW = 1_760_000_000_000L;

  private OneInputStreamOperatorTestHarness<byte[], LlmSpan> harness() throws Exception {
    return harness(new OtlpDecoder());
  }

  /** The embedded job's decoder: it reads what the receiver decoded (DecodedRequest). */
  private OneInputStreamOperatorTestHarness<byte[], LlmSpan> receiversHarness() throws Exception {
    return harness(new OtlpDecoder(RequestLimits.defaults(), true));
  }

  private OneInputStreamOperatorTestHarness<byte[], LlmSpan> harness(OtlpDecoder decoder)
      throws Exception {
    var h =
        closer.register(new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(decoder)));
    h.open();
    return h;
  }

  /** A plain HTTP client span: not an LLM call. */
  private static Span httpSpan() {
    return Span.newBuilder()
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setName("GET")
        .setStartTimeUnixNano(1)
        .setEndTimeUnixNano(2)
        .build();
  }

  /** Every field of a call, for comparing calls (NaN included). */
  private static String fields(LlmSpan s) {
    StringBuilder b = new StringBuilder();
    for (java.lang.reflect.Field f : LlmSpan.class.getFields()) {
      try {
        b.append(f.getName()).append('=').append(f.get(s)).append(' ');
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
    return b.toString();
  }

  private static List<LlmSpan> calls(OneInputStreamOperatorTestHarness<byte[], LlmSpan> h) {
    return h.extractOutputValues();
  }

  private static List<String> health(OneInputStreamOperatorTestHarness<byte[], LlmSpan> h) {
    var q = h.getSideOutput(HealthTags.HEALTH);
    return q == null
        ? List.of()
        : q.stream().map(r -> r.getValue().toString()).collect(Collectors.toList());
  }

  @Test
  void decodesClientGenAiSpansWithTheContractsFields() throws Exception {
    var h = harness();
    Span s =
        call("openai", "gpt-4o", NOW, 1.5)
            .str("gen_ai.response.model", "gpt-4o-2024-08-06")
            .tokens(1200, 300)
            .lng("gen_ai.usage.cache_read.input_tokens", 1000)
            .lng("gen_ai.usage.reasoning.output_tokens", 50)
            .bool("gen_ai.request.stream", true)
            .dbl("gen_ai.response.time_to_first_chunk", 0.25)
            .dbl("llm.server.processing_time", 1.2)
            .lng("llm.ratelimit.remaining_tokens", 4000)
            .lng("llm.ratelimit.limit_tokens", 30000)
            .region("East US 2")
            .status(200)
            .build();
    h.processElement(new StreamRecord<>(request("checkout", List.of(s)).toByteArray()));

    LlmSpan c = calls(h).get(0);
    assertThat(c.service).isEqualTo("checkout");
    assertThat(c.provider).isEqualTo("openai");
    assertThat(c.model).isEqualTo("gpt-4o-2024-08-06"); // response model wins
    assertThat(c.requestModel).isEqualTo("gpt-4o");
    assertThat(c.region).isEqualTo("East US 2");
    assertThat(c.operation).isEqualTo("chat");
    assertThat(c.outcome).isEqualTo("ok");
    assertThat(c.inputTokens).isEqualTo(1200);
    assertThat(c.outputTokens).isEqualTo(300);
    assertThat(c.cacheReadTokens).isEqualTo(1000);
    assertThat(c.reasoningTokens).isEqualTo(50);
    assertThat(c.stream).isTrue();
    assertThat(c.ttftSeconds).isEqualTo(0.25);
    assertThat(c.serverProcessingSeconds).isEqualTo(1.2);
    assertThat(c.remainingTokens).isEqualTo(4000);
    assertThat(c.limitTokens).isEqualTo(30000);
    assertThat(c.durationSeconds).isCloseTo(1.5, Offset.offset(1e-6));
    assertThat(c.eventTimeMillis()).isEqualTo(NOW);
    assertThat(health(h)).containsExactly("llm_pipeline_spans_received+1");
  }

  @Test
  void outcomesFollowStatusAndErrorType() throws Exception {
    var h = harness();
    h.processElement(
        new StreamRecord<>(
            request(
                    "svc",
                    List.of(
                        call("openai", "m", NOW, 1).status(429).build(),
                        call("openai", "m", NOW, 1)
                            .str("error.type", "rate_limit_exceeded")
                            .build(),
                        call("openai", "m", NOW, 1).status(500).str("error.type", "500").build(),
                        call("openai", "m", NOW, 1)
                            .str("error.type", "java.net.SocketTimeoutException")
                            .build(),
                        call("openai", "m", NOW, 1).status(200).build()))
                .toByteArray()));
    assertThat(calls(h))
        .extracting(c -> c.outcome)
        .containsExactly("throttled", "throttled", "error", "error", "ok");
  }

  @Test
  void missingRegionAndModelFallBack() throws Exception {
    var h = harness();
    var s = call("anthropic", "claude-sonnet-4", NOW, 1).build().toBuilder();
    // drop the response model: only the request model remains
    s.clearAttributes();
    s.addAttributes(
        call("x", "y", NOW, 1).build().getAttributes(0).toBuilder()
            .setValue(AnyValue.newBuilder().setStringValue("anthropic")));
    s.addAttributes(
        KeyValue.newBuilder()
            .setKey("gen_ai.request.model")
            .setValue(AnyValue.newBuilder().setStringValue("claude-sonnet-4")));
    h.processElement(new StreamRecord<>(request("svc", List.of(s.build())).toByteArray()));
    LlmSpan c = calls(h).get(0);
    assertThat(c.model).isEqualTo("claude-sonnet-4");
    assertThat(c.region).isEqualTo("unknown");
    assertThat(c.operation).isEqualTo("unknown");
  }

  @Test
  void internalGenAiAndNonGenAiSpansAreCountedAndDropped() throws Exception {
    var h = harness();
    Span internal = call("openai", "gpt-4o", NOW, 1).kind(Span.SpanKind.SPAN_KIND_INTERNAL).build();
    Span http = httpSpan();
    Span llm = call("openai", "gpt-4o", NOW, 1).build();
    h.processElement(
        new StreamRecord<>(request("svc", List.of(internal, http, llm, http)).toByteArray()));
    assertThat(calls(h)).hasSize(1);
    assertThat(health(h))
        .containsExactlyInAnyOrder(
            "llm_pipeline_spans_received+4",
            "llm_pipeline_spans_dropped{reason=not_genai}+2",
            "llm_pipeline_spans_dropped{reason=genai_not_client}+1");
  }

  @Test
  void malformedPayloadIsCountedNotThrown() throws Exception {
    var h = harness();
    h.processElement(new StreamRecord<>(new byte[] {(byte) 0xff, 0x01, 0x02}));
    // starts like the Collector's otlp_json encoding, but is no JSON
    h.processElement(new StreamRecord<>("{resourceSpans: [".getBytes(StandardCharsets.UTF_8)));
    assertThat(calls(h)).isEmpty();
    assertThat(health(h))
        .containsExactly(HealthDelta.MALFORMED + "+1", HealthDelta.MALFORMED + "+1");
  }

  /**
   * The Collector's Kafka exporter writes OTLP/JSON with {@code encoding: otlp_json}: the same
   * calls as its protobuf twin, under the same limits.
   */
  @Test
  void otlpJsonRecordsDecodeLikeTheirProtobufTwinsUnderTheSameLimits() throws Exception {
    var json = harness();
    json.processElement(
        new StreamRecord<>(
            OtlpJsonTest.json(OtlpJsonTest.TRACE_ID, OtlpJsonTest.SPAN_ID, "gpt-4o")
                .getBytes(StandardCharsets.UTF_8)));
    var proto = harness();
    proto.processElement(new StreamRecord<>(OtlpJsonTest.proto("gpt-4o").toByteArray()));
    assertThat(calls(json)).hasSize(1);
    assertThat(calls(json).stream().map(OtlpDecoderTest::fields))
        .containsExactlyElementsOf(calls(proto).stream().map(OtlpDecoderTest::fields).toList());
    assertThat(health(json)).containsExactlyElementsOf(health(proto));

    RequestLimits d = RequestLimits.defaults();
    var limited =
        harness(
            new OtlpDecoder(
                new RequestLimits(
                    d.maxSpans(), d.maxAttributes(), 5, d.maxDepth(), d.maxDecompressionRatio())));
    limited.processElement(
        new StreamRecord<>(
            OtlpJsonTest.json(OtlpJsonTest.TRACE_ID, OtlpJsonTest.SPAN_ID, "gpt-4o")
                .getBytes(StandardCharsets.UTF_8)));
    assertThat(calls(limited)).isEmpty();
    assertThat(health(limited))
        .containsExactly("llm_pipeline_records_rejected{reason=too_many_elements}+1");
  }

  /**
   * Kafka records get the receiver's bounds: an element bomb is counted and skipped, never parsed.
   */
  @Test
  void recordsOverARequestLimitAreCountedAndSkippedAndTheNextOneStillDecodes() throws Exception {
    var h = harness();
    h.processElement(new StreamRecord<>(OtlpWireScannerTest.emptySpans(1_000_000)));
    h.processElement(new StreamRecord<>(new byte[] {(byte) 0xff, 0x7f}));
    h.processElement(
        new StreamRecord<>(
            request("svc", List.of(call("openai", "gpt-4o", NOW, 1).build())).toByteArray()));
    assertThat(calls(h)).hasSize(1);
    assertThat(health(h))
        .containsExactly(
            "llm_pipeline_records_rejected{reason=too_many_spans}+1",
            "llm_pipeline_malformed_requests+1",
            "llm_pipeline_spans_received+1");
  }

  /**
   * The embedded receiver decodes each request before it answers and logs the calls, not the
   * request: the job must see exactly what decoding the request itself would give.
   */
  @Test
  void aRequestDecodedByTheReceiverGivesTheSameCallsAndCountsAsTheRequest() throws Exception {
    Span internal = call("openai", "gpt-4o", NOW, 1).kind(Span.SpanKind.SPAN_KIND_INTERNAL).build();
    Span http = httpSpan();
    byte[] mixed = OtlpPayloads.mixedBatch("svc", 200, NOW).toByteArray();
    byte[] withOthers =
        request(
                "other-svc",
                List.of(internal, http, call("anthropic", "claude", NOW, 2).build(), http))
            .toByteArray();
    var direct = harness();
    var viaReceiver = receiversHarness();
    StringCache receiverStrings = new StringCache();
    for (byte[] req : List.of(mixed, withOthers, mixed)) {
      direct.processElement(new StreamRecord<>(req));
      viaReceiver.processElement(new StreamRecord<>(DecodedRequest.encode(req, receiverStrings)));
    }
    assertThat(calls(direct)).hasSize(401);
    assertThat(calls(viaReceiver).stream().map(OtlpDecoderTest::fields))
        .containsExactlyElementsOf(calls(direct).stream().map(OtlpDecoderTest::fields).toList());
    assertThat(health(viaReceiver)).containsExactlyInAnyOrderElementsOf(health(direct));

    // What the receiver log holds per request: the calls only, in less than the request's bytes.
    assertThat(DecodedRequest.encode(mixed, receiverStrings).length)
        .isLessThan(mixed.length * 6 / 10);
    byte[] noCalls = request("svc", List.of(http, http, http)).toByteArray();
    assertThat(DecodedRequest.encode(noCalls, receiverStrings).length).isLessThan(40);
  }

  @Test
  void theReceiversMalformedMarkerAndUnknownEntriesAreCountedNotThrown() throws Exception {
    var h = receiversHarness();
    h.processElement(new StreamRecord<>(new byte[] {(byte) 0xff}));
    h.processElement(new StreamRecord<>(new byte[] {1, 2}));
    assertThat(calls(h)).isEmpty();
    assertThat(health(h))
        .containsExactly(HealthDelta.MALFORMED + "+1", HealthDelta.MALFORMED + "+1");
  }

  @Test
  void aMalformedRequestIsNotDecodedIntoAnEntry() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DecodedRequest.encode(new byte[] {0x0a, 0x05, 0x01}, new StringCache()))
        .isInstanceOf(WireSpanDecoder.Malformed.class);
  }
}
