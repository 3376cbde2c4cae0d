package io.llmobserve.pipeline.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds OTLP trace requests shaped like the agent's output (span contract in DESIGN.md), for
 * tests, the benchmark and manual experiments.
 */
public final class OtlpPayloads {
  private OtlpPayloads() {}

  /** A fluent LLM CLIENT span. */
  public static final class Call {
    private final Span.Builder span = Span.newBuilder().setKind(Span.SpanKind.SPAN_KIND_CLIENT);

    public Call(String provider, String model, long endMillis, double durationSeconds) {
      long end = endMillis * 1_000_000L;
      long start = end - (long) (durationSeconds * 1e9);
      byte[] id = new byte[16];
      ThreadLocalRandom.current().nextBytes(id);
      span.setTraceId(ByteString.copyFrom(id))
          .setSpanId(
              ByteString.copyFrom(
                  ByteBuffer.allocate(8).putLong(ThreadLocalRandom.current().nextLong()).array()))
          .setName("chat " + model)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(end);
      str("gen_ai.provider.name", provider);
      str("gen_ai.operation.name", "chat");
      str("gen_ai.request.model", model);
      str("gen_ai.response.model", model);
    }

    public Call str(String key, String value) {
      span.addAttributes(
          KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)));
      return this;
    }

    public Call lng(String key, long value) {
      span.addAttributes(
          KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)));
      return this;
    }

    public Call dbl(String key, double value) {
      span.addAttributes(
          KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)));
      return this;
    }

    public Call bool(String key, boolean value) {
      span.addAttributes(
          KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)));
      return this;
    }

    public Call tokens(long input, long output) {
      return lng("gen_ai.usage.input_tokens", input).lng("gen_ai.usage.output_tokens", output);
    }

    public Call status(int code) {
      return lng("http.response.status_code", code);
    }

    public Call region(String region) {
      return str("llm.hosting.region", region);
    }

    public Call kind(Span.SpanKind kind) {
      span.setKind(kind);
      return this;
    }

    public Span build() {
      return span.build();
    }
  }

  public static Call call(String provider, String model, long endMillis, double durationSeconds) {
    return new Call(provider, model, endMillis, durationSeconds);
  }

  public static ExportTraceServiceRequest request(String service, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("io.llmobserve.agent"))
                        .addAllSpans(spans)))
        .build();
  }

  /** A realistic mixed batch: {@code n} calls over a few models, ok/throttled/error, streams. */
  public static ExportTraceServiceRequest mixedBatch(String service, int n, long endMillis) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String[][] models = {
      {"openai", "gpt-4o-2024-08-06", "East US 2"},
      {"openai", "gpt-4o-mini", "unknown"},
      {"anthropic", "claude-sonnet-4-20250514", "unknown"},
      {"azure.ai.openai", "gpt-4.1", "Sweden Central"}
    };
    List<Span> spans = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String[] m = models[i % models.length];
      double d = 0.3 + r.nextDouble() * 2;
      Call c =
          call(m[0], m[1], endMillis - r.nextInt(200), d)
              .tokens(100 + r.nextInt(2000), 10 + r.nextInt(500))
              .region(m[2])
              .str("server.address", "api.example.com")
              .str("llm.hosting.provider", "azure")
              .dbl("llm.server.processing_time", d * 0.8)
              .lng("llm.ratelimit.remaining_tokens", 10_000 + r.nextInt(90_000))
              .status(i % 50 == 0 ? 429 : 200);
      if (i % 3 == 0) {
        c.bool("gen_ai.request.stream", true).dbl("gen_ai.response.time_to_first_chunk", d * 0.2);
      }
      spans.add(c.build());
    }
    return request(service, spans);
  }
}
