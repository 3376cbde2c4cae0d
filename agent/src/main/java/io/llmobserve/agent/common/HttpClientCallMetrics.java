package io.llmobserve.agent.common;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Objects;

/**
 * {@code http.client.request.duration} for the LLM calls whose span replaces upstream's HTTP client
 * span (upstream's instrumentation, suppressed, records none), as instrumentation-api's {@code
 * HttpClientMetrics} defines it (name, unit, description, bucket advice), so HTTP dashboards keep
 * counting these calls. Recorded straight into the histogram: {@code HttpClientMetrics} keeps a
 * per-call state in a new context at the start and merges start and end attributes at the end,
 * while here the attributes are known at once and reused while calls repeat them. They are exactly
 * what upstream's attribute advice keeps (method, server address and port, status code, error type,
 * protocol version), so no advice filtering is needed.
 */
final class HttpClientCallMetrics {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> PROTOCOL_VERSION =
      AttributeKey.stringKey("network.protocol.version");
  private static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<Long> STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  static final String NAME = "http.client.request.duration";

  /** instrumentation-api's {@code HttpMetricsAdvice.DURATION_SECONDS_BUCKETS}. */
  static final List<Double> DURATION_SECONDS_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private static final double NANOS_PER_SECOND = 1e9;

  private final DoubleHistogram duration;

  /** The last call's attributes, reused while calls repeat them (most do): immutable, swapped. */
  private volatile Last last;

  HttpClientCallMetrics(Meter meter) {
    this.duration =
        meter
            .histogramBuilder(NAME)
            .setUnit("s")
            .setDescription("Duration of HTTP client requests.")
            .setExplicitBucketBoundariesAdvice(DURATION_SECONDS_BUCKETS)
            .build();
  }

  /**
   * One call's duration. {@code context} carries the LLM span (exemplars link to it); status 0 or
   * less: no response.
   */
  void record(
      Context context,
      String method,
      String host,
      int port,
      int status,
      String errorType,
      String protocolVersion,
      long startNanos,
      long endNanos) {
    Last l = last;
    if (l == null || !l.matches(method, host, port, status, errorType, protocolVersion)) {
      l = new Last(method, host, port, status, errorType, protocolVersion);
      last = l;
    }
    duration.record((endNanos - startNanos) / NANOS_PER_SECOND, l.attributes, context);
  }

  private static final class Last {
    final String method;
    final String host;
    final int port;
    final int status;
    final String errorType;
    final String protocolVersion;
    final Attributes attributes;

    Last(String method, String host, int port, int status, String errorType, String version) {
      this.method = method;
      this.host = host;
      this.port = port;
      this.status = status;
      this.errorType = errorType;
      this.protocolVersion = version;
      AttributesBuilder b =
          Attributes.builder()
              .put(METHOD, method)
              .put(SERVER_ADDRESS, host)
              .put(SERVER_PORT, (long) port);
      if (status > 0) {
        b.put(STATUS_CODE, (long) status);
      }
      if (errorType != null) {
        b.put(ERROR_TYPE, errorType);
      }
      if (version != null) {
        b.put(PROTOCOL_VERSION, version);
      }
      this.attributes = b.build();
    }

    boolean matches(
        String method, String host, int port, int status, String errorType, String version) {
      return port == this.port
          && status == this.status
          && Objects.equals(method, this.method)
          && Objects.equals(host, this.host)
          && Objects.equals(errorType, this.errorType)
          && Objects.equals(version, this.protocolVersion);
    }
  }
}
