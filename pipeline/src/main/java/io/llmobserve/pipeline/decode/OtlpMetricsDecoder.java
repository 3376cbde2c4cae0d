package io.llmobserve.pipeline.decode;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.InFlightSample;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One OTLP ExportMetricsServiceRequest (protobuf, as POSTed to /v1/metrics or written by the
 * Collector's Kafka exporter to {@code otlp_metrics}; or OTLP/JSON, as that exporter writes it with
 * {@code encoding: otlp_json}) to the agent's in-flight samples. Only {@code
 * gen_ai.client.operation.active} and {@code gen_ai.client.operation.oldest_age} are read; every
 * other metric is ignored. A malformed request is counted in llm_pipeline_malformed_requests_total
 * and never fails the job.
 */
public class OtlpMetricsDecoder extends ProcessFunction<byte[], InFlightSample> {
  private static final long serialVersionUID = 1L;
  public static final String ACTIVE = "gen_ai.client.operation.active";
  public static final String OLDEST_AGE = "gen_ai.client.operation.oldest_age";

  // OTLP/JSON is protobuf's JSON mapping but for hex trace/span ids, which only exemplars carry
  // here and which are never read (hex digits are base64 digits too: they parse).
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  @Override
  public void processElement(byte[] payload, Context ctx, Collector<InFlightSample> out) {
    ExportMetricsServiceRequest request;
    try {
      if (OtlpJson.isJsonRecord(payload)) {
        ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
        JSON.merge(new String(payload, StandardCharsets.UTF_8), b);
        request = b.build();
      } else {
        request = ExportMetricsServiceRequest.parseFrom(payload);
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      ctx.output(HealthTags.HEALTH, HealthDelta.of(HealthDelta.MALFORMED, null, 1));
      return;
    }
    decode(request, out::collect);
  }

  /** Emits one merged sample per stall key and resource; returns how many. */
  public static int decode(ExportMetricsServiceRequest request, Consumer<InFlightSample> out) {
    int n = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      String service = "unknown_service";
      for (KeyValue kv : rm.getResource().getAttributesList()) {
        if (kv.getKey().equals("service.name")) {
          service = kv.getValue().getStringValue();
        }
      }
      Map<String, InFlightSample> byKey = new LinkedHashMap<>();
      // per (stall key + region/server) first, so an age pairs with the count of the same point
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          boolean active = m.getName().equals(ACTIVE);
          if (!active && !m.getName().equals(OLDEST_AGE)) {
            continue;
          }
          List<NumberDataPoint> points =
              m.hasSum()
                  ? m.getSum().getDataPointsList()
                  : m.hasGauge() ? m.getGauge().getDataPointsList() : List.of();
          for (NumberDataPoint p : points) {
            InFlightSample s = point(service, p);
            InFlightSample merged =
                byKey.computeIfAbsent(
                    s.stallKey() + '\u0000' + s.region + '\u0000' + s.serverAddress, k -> s);
            double v = p.hasAsInt() ? p.getAsInt() : p.getAsDouble();
            if (Double.isNaN(v) || v < 0) {
              continue;
            }
            if (active) {
              merged.active = Math.max(merged.active, Math.round(v));
            } else {
              merged.oldestAgeSeconds = Math.max(merged.oldestAgeSeconds, v);
            }
            merged.timeMillis = Math.max(merged.timeMillis, p.getTimeUnixNano() / 1_000_000L);
          }
        }
      }
      // then one sample per stall key: counts add up, the oldest age (and its region) wins
      Map<String, InFlightSample> byStallKey = new LinkedHashMap<>();
      for (InFlightSample s : byKey.values()) {
        InFlightSample acc = byStallKey.get(s.stallKey());
        if (acc == null) {
          byStallKey.put(s.stallKey(), s);
          continue;
        }
        acc.active += s.active;
        if (s.oldestAgeSeconds > acc.oldestAgeSeconds) {
          acc.oldestAgeSeconds = s.oldestAgeSeconds;
          acc.region = s.region;
          acc.serverAddress = s.serverAddress;
        }
        acc.timeMillis = Math.max(acc.timeMillis, s.timeMillis);
      }
      for (InFlightSample s : byStallKey.values()) {
        if (s.timeMillis <= 0) {
          s.timeMillis = System.currentTimeMillis();
        }
        out.accept(s);
        n++;
      }
    }
    return n;
  }

  private static InFlightSample point(String service, NumberDataPoint p) {
    InFlightSample s = new InFlightSample();
    s.service = service;
    s.provider = "unknown";
    s.operation = "unknown";
    s.requestModel = "unknown";
    for (KeyValue kv : p.getAttributesList()) {
      String v = kv.getValue().getStringValue();
      if (v.isEmpty()) {
        continue;
      }
      switch (kv.getKey()) {
        case "gen_ai.provider.name" -> s.provider = v;
        case "gen_ai.operation.name" -> s.operation = v;
        case "gen_ai.request.model" -> s.requestModel = v;
        case "llm.hosting.region" -> s.region = v;
        case "server.address" -> s.serverAddress = v;
        default -> {}
      }
    }
    return s;
  }
}
