package io.llmobserve.agent.common;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.OperationListener;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientMetrics;
import java.util.Objects;

/**
 * {@code http.client.request.duration} for the LLM calls whose span replaces upstream's HTTP client
 * span (upstream's instrumentation, suppressed, records none): recorded by instrumentation-api's
 * own {@link HttpClientMetrics}, so name, unit, buckets and attribute advice are upstream's and
 * HTTP dashboards keep counting these calls.
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

  private final OperationListener duration;

  /** The last call's attributes, reused while calls repeat them (most do): immutable, swapped. */
  private volatile Last last;

  HttpClientCallMetrics(Meter meter) {
    this.duration = HttpClientMetrics.get().create(meter);
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
    // start and end at once: the listener keeps its state in the context it returns
    duration.onEnd(
        duration.onStart(context, l.attributes, startNanos), Attributes.empty(), endNanos);
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
