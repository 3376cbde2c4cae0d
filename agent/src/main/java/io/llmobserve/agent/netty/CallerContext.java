package io.llmobserve.agent.netty;

import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Collections;

/**
 * The context an LLM span written on a Netty event loop belongs to. The event loop usually carries
 * none: the call was made on another thread, and the client's own instrumentation keeps its span
 * elsewhere (Reactor Netty: in the Reactor context). That instrumentation has, however, already put
 * its span into the request's headers (traceparent; the AWS SDK: X-Ray's X-Amzn-Trace-Id) to
 * propagate it, so the LLM span joins the app's trace under the client's span. Only used for LLM
 * calls.
 */
final class CallerContext {
  private CallerContext() {}

  static Context of(HttpHeaders headers) {
    Context current = Context.current();
    try {
      if (Span.fromContext(current).getSpanContext().isValid()) {
        return current;
      }
      Context extracted =
          GlobalOpenTelemetry.getPropagators()
              .getTextMapPropagator()
              .extract(current, headers, HeadersGetter.INSTANCE);
      if (Span.fromContext(extracted).getSpanContext().isValid()) {
        return extracted;
      }
      // the AWS SDK's instrumentation propagates in X-Ray's format only (its span stays in the
      // SDK's execution attributes; the async client writes on the event loop without it)
      return fromXrayHeader(current, headers.get(XRAY_HEADER));
    } catch (Throwable t) {
      return current;
    }
  }

  static final String XRAY_HEADER = "x-amzn-trace-id";

  /**
   * The parent named by an X-Ray trace header ({@code Root=1-5759e988-bd862e3fe1be46a994272793;
   * Parent=53995c3f42cd8ad8;Sampled=1}), or {@code current} when there is none or it is malformed.
   */
  static Context fromXrayHeader(Context current, String header) {
    if (header == null) {
      return current;
    }
    String traceId = null;
    String spanId = null;
    boolean sampled = false;
    for (String part : header.split(";", 8)) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      if (key.equals("Root") && value.length() == 35 && value.startsWith("1-")) {
        traceId = value.substring(2, 10) + value.substring(11); // 1-<8 hex time>-<24 hex>
      } else if (key.equals("Parent")) {
        spanId = value;
      } else if (key.equals("Sampled")) {
        sampled = value.equals("1");
      }
    }
    if (traceId == null || spanId == null) {
      return current;
    }
    SpanContext parent =
        SpanContext.createFromRemoteParent(
            traceId,
            spanId,
            sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            TraceState.getDefault());
    return parent.isValid() ? current.with(Span.wrap(parent)) : current;
  }

  enum HeadersGetter implements TextMapGetter<HttpHeaders> {
    INSTANCE;

    @Override
    public Iterable<String> keys(HttpHeaders carrier) {
      return carrier == null ? Collections.emptyList() : carrier.names();
    }

    @Override
    public String get(HttpHeaders carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
