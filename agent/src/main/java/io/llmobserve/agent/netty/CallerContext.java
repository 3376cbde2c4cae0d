package io.llmobserve.agent.netty;

import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Collections;

/**
 * The context an LLM span written on a Netty event loop belongs to. The event loop usually carries
 * none: the call was made on another thread, and the client's own instrumentation keeps its span
 * elsewhere (Reactor Netty: in the Reactor context). That instrumentation has, however, already put
 * its span into the request's headers (traceparent) to propagate it, so the LLM span joins the
 * app's trace under the client's HTTP span. Only used for LLM calls.
 */
final class CallerContext {
  private CallerContext() {}

  static Context of(HttpHeaders headers) {
    Context current = Context.current();
    try {
      if (Span.fromContext(current).getSpanContext().isValid()) {
        return current;
      }
      return GlobalOpenTelemetry.getPropagators()
          .getTextMapPropagator()
          .extract(current, headers, HeadersGetter.INSTANCE);
    } catch (Throwable t) {
      return current;
    }
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
