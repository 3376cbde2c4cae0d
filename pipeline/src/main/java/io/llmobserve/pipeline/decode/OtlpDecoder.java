package io.llmobserve.pipeline.decode;

import io.llmobserve.pipeline.limits.OtlpWireScanner;
import io.llmobserve.pipeline.limits.RequestLimits;
import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.StringCache;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One OTLP ExportTraceServiceRequest (protobuf bytes, as POSTed to /v1/traces or written by the
 * Collector's Kafka exporter with encoding otlp_proto; or OTLP/JSON, as that exporter writes it
 * with encoding otlp_json) to its LLM calls. Counts every span received, the ones dropped (not
 * gen_ai, gen_ai but not CLIENT) and malformed requests on the health side output; a malformed
 * record never fails the job. Records are checked against the same {@link RequestLimits} as the
 * HTTP receiver's requests before they are parsed (a Kafka record is not bounded by anything else):
 * one over a limit is counted in llm_pipeline_records_rejected_total{reason} and skipped.
 */
public class OtlpDecoder extends ProcessFunction<byte[], LlmSpan> {
  private static final long serialVersionUID = 1L;
  private final RequestLimits limits;
  private final boolean decodedUpstream;

  /** Label values and attribute keys repeat from call to call: one String each (StringCache). */
  private transient StringCache strings;

  private transient byte[] scratch;

  public OtlpDecoder() {
    this(RequestLimits.defaults());
  }

  public OtlpDecoder(RequestLimits limits) {
    this(limits, false);
  }

  /**
   * @param decodedUpstream the records come from the embedded receiver, which has scanned each
   *     request against these limits and decoded it before accepting it: its records are {@link
   *     DecodedRequest}s, read here, not parsed again
   */
  public OtlpDecoder(RequestLimits limits, boolean decodedUpstream) {
    this.limits = limits;
    this.decodedUpstream = decodedUpstream;
  }

  @Override
  public void processElement(byte[] payload, Context ctx, Collector<LlmSpan> out) {
    if (strings == null) {
      strings = new StringCache();
      scratch = new byte[StringCache.MAX_BYTES];
    }
    if (decodedUpstream) {
      long received;
      try {
        received =
            DecodedRequest.read(
                payload, strings, scratch, out::collect, (skip, n) -> dropped(ctx, skip, n));
      } catch (java.io.IOException | RuntimeException e) {
        // Written by this job's receiver: only a bug gets here. Counted, never fatal.
        ctx.output(HealthTags.HEALTH, HealthDelta.of(HealthDelta.MALFORMED, null, 1));
        return;
      }
      received(ctx, received);
      return;
    }
    byte[] request = payload;
    if (OtlpJson.isJsonRecord(payload)) {
      try {
        request = OtlpJson.toProtobuf(payload, limits);
      } catch (OtlpJson.Rejected e) {
        rejected(ctx, e.verdict);
        return;
      } catch (RuntimeException e) { // never the job's end, whatever the bytes
        rejected(ctx, OtlpWireScanner.Verdict.MALFORMED);
        return;
      }
    }
    OtlpWireScanner.Result scan = OtlpWireScanner.scan(request, limits);
    if (!scan.ok()) {
      rejected(ctx, scan.verdict());
      return;
    }
    Map<SpanMapper.Skip, Long> skips = new EnumMap<>(SpanMapper.Skip.class);
    long received;
    try {
      // Straight from the wire bytes (no protobuf object tree); nothing is emitted from a request
      // that turns out malformed.
      received =
          WireSpanDecoder.decode(
              request, strings, out::collect, skip -> skips.merge(skip, 1L, Long::sum));
    } catch (RuntimeException e) {
      ctx.output(HealthTags.HEALTH, HealthDelta.of(HealthDelta.MALFORMED, null, 1));
      return;
    }
    received(ctx, received);
    skips.forEach((skip, n) -> dropped(ctx, skip, n));
  }

  private static void rejected(Context ctx, OtlpWireScanner.Verdict verdict) {
    ctx.output(
        HealthTags.HEALTH,
        verdict == OtlpWireScanner.Verdict.MALFORMED
            ? HealthDelta.of(HealthDelta.MALFORMED, null, 1)
            : HealthDelta.of(HealthDelta.RECORDS_REJECTED, verdict.label, 1));
  }

  private static void received(Context ctx, long spans) {
    if (spans > 0) {
      ctx.output(HealthTags.HEALTH, HealthDelta.of(HealthDelta.RECEIVED, null, spans));
    }
  }

  private static void dropped(Context ctx, SpanMapper.Skip skip, long spans) {
    ctx.output(HealthTags.HEALTH, HealthDelta.of(HealthDelta.DROPPED, skip.reason, spans));
  }

  /**
   * The same mapping over protobuf-java's parsed request (tests, and the benchmark's baseline):
   * emits every call of the request, returns the number of spans.
   */
  public static long decode(
      ExportTraceServiceRequest request,
      Consumer<LlmSpan> calls,
      Consumer<SpanMapper.Skip> skipped) {
    long spans = 0;
    SpanMapper.Skip[] skip = new SpanMapper.Skip[1];
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = serviceName(rs);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          spans++;
          LlmSpan call = SpanMapper.map(span, service, skip);
          if (call != null) {
            calls.accept(call);
          } else {
            skipped.accept(skip[0]);
          }
        }
      }
    }
    return spans;
  }

  static String serviceName(ResourceSpans rs) {
    for (KeyValue kv : rs.getResource().getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue();
      }
    }
    return "unknown_service";
  }
}
