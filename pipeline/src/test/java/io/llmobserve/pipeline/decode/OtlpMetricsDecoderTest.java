package io.llmobserve.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.InFlightSample;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

public class OtlpMetricsDecoderTest {
  static final long T = 1_760_000_000_000L;

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  static NumberDataPoint.Builder point(String model, String region, String server) {
    NumberDataPoint.Builder p =
        NumberDataPoint.newBuilder()
            .setTimeUnixNano(T * 1_000_000L)
            .addAttributes(kv("gen_ai.provider.name", "azure.ai.openai"))
            .addAttributes(kv("gen_ai.operation.name", "chat"))
            .addAttributes(kv("gen_ai.request.model", model))
            .addAttributes(kv("server.address", server));
    if (region != null) {
      p.addAttributes(kv("llm.hosting.region", region));
    }
    return p;
  }

  /** An export as the agent sends it: both in-flight metrics plus an unrelated one. */
  static ExportMetricsServiceRequest export(String service) {
    Metric active =
        Metric.newBuilder()
            .setName("gen_ai.client.operation.active")
            .setSum(
                Sum.newBuilder()
                    .addDataPoints(point("gpt-4o-eastus2", null, "a.example").setAsInt(5))
                    .addDataPoints(point("gpt-4o-eastus2", "East US 2", "a.example").setAsInt(2))
                    .addDataPoints(point("gpt-4o-mini", null, "a.example").setAsInt(0)))
            .build();
    Metric oldest =
        Metric.newBuilder()
            .setName("gen_ai.client.operation.oldest_age")
            .setGauge(
                Gauge.newBuilder()
                    .addDataPoints(point("gpt-4o-eastus2", null, "a.example").setAsDouble(3.5))
                    .addDataPoints(
                        point("gpt-4o-eastus2", "East US 2", "a.example").setAsDouble(7.25))
                    .addDataPoints(point("gpt-4o-mini", null, "a.example").setAsDouble(0)))
            .build();
    Metric other =
        Metric.newBuilder()
            .setName("jvm.memory.used")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)))
            .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(other)
                        .addMetrics(active)
                        .addMetrics(oldest)))
        .build();
  }

  /** One agent export with one in-flight point (for the pipeline's ITs). */
  public static ExportMetricsServiceRequest inFlight(
      String service,
      String provider,
      String requestModel,
      long active,
      double oldestAge,
      long atMillis) {
    NumberDataPoint.Builder p =
        NumberDataPoint.newBuilder()
            .setTimeUnixNano(atMillis * 1_000_000L)
            .addAttributes(kv("gen_ai.provider.name", provider))
            .addAttributes(kv("gen_ai.operation.name", "chat"))
            .addAttributes(kv("gen_ai.request.model", requestModel))
            .addAttributes(kv("server.address", "api.example.com"));
    Metric count =
        Metric.newBuilder()
            .setName("gen_ai.client.operation.active")
            .setSum(Sum.newBuilder().addDataPoints(p.clone().setAsInt(active)))
            .build();
    Metric age =
        Metric.newBuilder()
            .setName("gen_ai.client.operation.oldest_age")
            .setGauge(Gauge.newBuilder().addDataPoints(p.clone().setAsDouble(oldestAge)))
            .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(count).addMetrics(age)))
        .build();
  }

  @Test
  void pointsOfOneKeyMergeIntoOneSample() {
    List<InFlightSample> out = new ArrayList<>();
    assertThat(OtlpMetricsDecoder.decode(export("checkout"), out::add)).isEqualTo(2);
    assertThat(out.get(0).stallKey()).isEqualTo("checkout|azure.ai.openai|gpt-4o-eastus2|chat");
    assertThat(out.get(0).active).isEqualTo(7);
    assertThat(out.get(0).oldestAgeSeconds).isEqualTo(7.25);
    assertThat(out.get(0).region).isEqualTo("East US 2");
    assertThat(out.get(0).timeMillis).isEqualTo(T);
    assertThat(out.get(1).requestModel).isEqualTo("gpt-4o-mini");
    assertThat(out.get(1).active).isZero();
  }

  /** The Collector's Kafka exporter with encoding: otlp_json writes the same export as JSON. */
  @Test
  void anOtlpJsonRecordGivesTheSamplesOfItsProtobufTwin() throws Exception {
    ExportMetricsServiceRequest export = export("checkout");
    byte[] json =
        JsonFormat.printer()
            .printingEnumsAsInts()
            .omittingInsignificantWhitespace()
            .print(export)
            .getBytes(StandardCharsets.UTF_8);
    List<InFlightSample> fromJson = samples(json);
    assertThat(fromJson).hasSize(2);
    assertThat(fromJson).usingRecursiveComparison().isEqualTo(samples(export.toByteArray()));
  }

  private static List<InFlightSample> samples(byte[] record) throws Exception {
    return decoded(record).samples;
  }

  /** What the decoder emits for one record: its samples and its health counts. */
  private record Decoded(List<InFlightSample> samples, List<String> health) {}

  private static Decoded decoded(byte[] record) throws Exception {
    try (var h =
        new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new OtlpMetricsDecoder()))) {
      h.open();
      h.processElement(new StreamRecord<>(record));
      var health = h.getSideOutput(HealthTags.HEALTH);
      return new Decoded(
          h.extractOutputValues(),
          health == null ? List.of() : health.stream().map(r -> r.getValue().toString()).toList());
    }
  }

  @Test
  void aMalformedJsonRecordIsCountedNotThrown() throws Exception {
    Decoded d = decoded("{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8));
    assertThat(d.samples).isEmpty();
    assertThat(d.health).containsExactly(HealthDelta.MALFORMED + "+1");
  }

  /** A hostile record (nested 100,000 deep) is counted, never a stack overflow of the task. */
  @Test
  void aDeeplyNestedJsonRecordIsCountedNotThrown() throws Exception {
    String deep = "{\"resourceMetrics\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    Decoded d = decoded(deep.getBytes(StandardCharsets.UTF_8));
    assertThat(d.samples).isEmpty();
    assertThat(d.health).containsExactly(HealthDelta.MALFORMED + "+1");
  }

  @Test
  void anExportWithoutInFlightMetricsGivesNothing() {
    assertThat(OtlpMetricsDecoder.decode(ExportMetricsServiceRequest.getDefaultInstance(), s -> {}))
        .isZero();
  }
}
