package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.LlmTelemetry;
import io.llmobserve.agent.common.ServerUrl;
import io.llmobserve.providers.LlmEndpoint;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.hc.client5.http.async.HttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;

/**
 * The async client's {@code execute} gets an opaque request producer; upstream's instrumentation
 * takes the parent of its HTTP span when execute starts, so ours must be current by then. The
 * request is therefore noted when its producer is built ({@code BasicRequestProducer}, which {@code
 * SimpleHttpRequest}s and {@code AsyncRequestBuilder} use): only LLM requests are kept (weakly,
 * until execute). Such a call's span is its only HTTP client span (upstream's suppressed, as on the
 * classic client). An app's own producer is observed from the moment it sends its request ({@link
 * LateCall}); upstream's span, started from the context at execute, then stays.
 */
public final class AsyncRequests {
  private static final Map<Object, Pending> pending =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static volatile boolean anyPending;

  private AsyncRequests() {}

  static final class Pending {
    final ServerUrl url;
    final LlmEndpoint endpoint; // detected once, here; execute starts the span from it
    final HttpRequest request;

    Pending(ServerUrl url, LlmEndpoint endpoint, HttpRequest request) {
      this.url = url;
      this.endpoint = endpoint;
      this.request = request;
    }
  }

  /** A producer was built for this request: remembered when it is an LLM call. */
  public static void producerCreated(Object producer, HttpRequest request) {
    try {
      if (producer == null || request == null) {
        return;
      }
      ServerUrl url = ApacheHttpClient5Support.serverUrl(null, request);
      LlmEndpoint endpoint =
          url == null
              ? null
              : LlmTelemetry.get().detect(url, ApacheHttpClient5Support.headers(request));
      if (endpoint == null) {
        return;
      }
      pending.put(producer, new Pending(url, endpoint, request));
      anyPending = true;
    } catch (Throwable ignored) {
      // unobserved
    }
  }

  /** One async execute of an LLM request: the exchange and its scope. */
  public static final class AsyncCall {
    final LlmExchange exchange;
    final Scope scope;
    public final AsyncRequestProducer producer;
    public final AsyncResponseConsumer<?> consumer;
    public final FutureCallback<?> callback;

    AsyncCall(
        LlmExchange exchange,
        Scope scope,
        AsyncRequestProducer producer,
        AsyncResponseConsumer<?> consumer,
        FutureCallback<?> callback) {
      this.exchange = exchange;
      this.scope = scope;
      this.producer = producer;
      this.consumer = consumer;
      this.callback = callback;
    }
  }

  /**
   * execute(producer, consumer, handlerFactory, context, callback) starts: null when not an LLM
   * call.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static AsyncCall start(
      HttpAsyncClient client,
      AsyncRequestProducer producer,
      AsyncResponseConsumer consumer,
      FutureCallback callback) {
    if (producer == null || consumer == null) {
      return null;
    }
    try {
      Pending p = anyPending ? pending.remove(producer) : null;
      if (p == null) {
        if (producer instanceof BasicRequestProducer) {
          return null; // its request was seen when it was built: not an LLM call
        }
        // the app's own producer: its request is seen when it is sent (see LateCall)
        LateCall late = new LateCall(Context.current());
        return new AsyncCall(
            null,
            null,
            new LateCall.Producer(producer, late),
            new LateCall.Consumer(consumer, late),
            new LateCall.Callback(callback, late));
      }
      // ours is the call's HTTP client span: current while upstream's advice on this execute
      // captures its parent, so upstream starts no span of its own (nor writes traceparent, which
      // it does only with a span); we write the header instead, on the request the producer sends
      LlmExchange exchange =
          LlmExchange.startAsHttpClientSpan(
              p.url,
              p.endpoint,
              p.request.getMethod(),
              ApacheHttpClient5Support.headers(p.request));
      if (exchange == null) {
        return null;
      }
      exchange.propagateAsHttpClientSpan(p.request, ApacheHttpClient5Support.HeaderSetter.INSTANCE);
      // ours ends when the call completes (EndWithCallback), where upstream's span would have
      exchange.holdEnd();
      return new AsyncCall(
          exchange,
          exchange.makeCurrent(),
          new TeeRequestProducer(producer, exchange),
          new TeeResponseConsumer(consumer, exchange),
          new EndWithCallback(callback, exchange));
    } catch (Throwable t) {
      return null;
    }
  }

  public static void afterExecute(AsyncCall call, Throwable thrown) {
    if (call == null || call.exchange == null) {
      return; // a late call: its callback or consumer sees a failure
    }
    try {
      call.scope.close();
    } catch (Throwable ignored) {
      // never disturb the app
    }
    if (thrown != null) {
      call.exchange.fail(thrown);
      call.exchange.releaseEnd();
    }
  }
}
