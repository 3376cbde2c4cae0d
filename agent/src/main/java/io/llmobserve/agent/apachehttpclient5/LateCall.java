package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.ServerUrl;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * An async execute whose request producer is the app's own (not a {@code BasicRequestProducer},
 * whose request is known when it is built): the request is only seen when the producer sends it on
 * the I/O thread. The exchange then starts under the context that was current at execute (the app's
 * span is its parent; upstream's HTTP span, started from the same context, is its sibling), and the
 * consumer and callback, wrapped at execute, turn into the usual tees.
 */
final class LateCall {
  private final Context parent;
  private volatile boolean decided;
  private volatile LlmExchange exchange;

  LateCall(Context parent) {
    this.parent = parent;
  }

  /** The request head goes out: decide once (a retry sends it again). */
  void requestSent(HttpRequest request) {
    if (decided) {
      return;
    }
    decided = true;
    try {
      if (request == null || !LlmExchange.mayBeLlmCall(request.getPath())) {
        return;
      }
      ServerUrl url = ApacheHttpClient5Support.serverUrl(null, request);
      if (url == null) {
        return;
      }
      try (Scope ignored = parent.makeCurrent()) {
        LlmExchange started = LlmExchange.start(url, ApacheHttpClient5Support.headers(request));
        if (started != null) {
          // upstream's HTTP span ends in the callback chain: ours ends no earlier
          started.holdEnd();
          exchange = started;
        }
      }
    } catch (Throwable ignored) {
      // unobserved
    }
  }

  /** The producer: its request channel is watched, its body teed once the call is known. */
  static final class Producer implements AsyncRequestProducer {
    private final AsyncRequestProducer delegate;
    private final LateCall call;
    private volatile boolean teeing;

    Producer(AsyncRequestProducer delegate, LateCall call) {
      this.delegate = delegate;
      this.call = call;
    }

    @Override
    public void sendRequest(RequestChannel channel, HttpContext context)
        throws HttpException, IOException {
      delegate.sendRequest(
          channel == null
              ? null
              : (request, entityDetails, ctx) -> {
                call.requestSent(request);
                LlmExchange e = call.exchange;
                teeing = e != null && e.claimRequestTee();
                channel.sendRequest(request, entityDetails, ctx);
              },
          context);
    }

    @Override
    public boolean isRepeatable() {
      return delegate.isRepeatable();
    }

    @Override
    public void failed(Exception cause) {
      delegate.failed(cause);
    }

    @Override
    public int available() {
      return delegate.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
      LlmExchange e = call.exchange;
      delegate.produce(
          teeing && e != null && channel != null
              ? new TeeRequestProducer.TeeChannel(channel, e)
              : channel);
    }

    @Override
    public void releaseResources() {
      delegate.releaseResources();
    }
  }

  /** The consumer: the app's own until the call is known, then the usual tee. */
  static final class Consumer<T> implements AsyncResponseConsumer<T> {
    private final AsyncResponseConsumer<T> delegate;
    private final LateCall call;
    private TeeResponseConsumer<T> tee;

    Consumer(AsyncResponseConsumer<T> delegate, LateCall call) {
      this.delegate = delegate;
      this.call = call;
    }

    private synchronized AsyncResponseConsumer<T> target() {
      LlmExchange e = call.exchange;
      if (e == null) {
        return delegate;
      }
      if (tee == null) {
        tee = new TeeResponseConsumer<>(delegate, e);
      }
      return tee;
    }

    @Override
    public void consumeResponse(
        HttpResponse response,
        EntityDetails entityDetails,
        HttpContext context,
        FutureCallback<T> resultCallback)
        throws HttpException, IOException {
      target().consumeResponse(response, entityDetails, context, resultCallback);
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context)
        throws HttpException, IOException {
      delegate.informationResponse(response, context);
    }

    @Override
    public void failed(Exception cause) {
      target().failed(cause);
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
      delegate.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
      target().consume(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
      target().streamEnd(trailers);
    }

    @Override
    public void releaseResources() {
      target().releaseResources();
    }
  }

  /** The callback (possibly null): releases the held end once the call is known. */
  static final class Callback<T> implements FutureCallback<T> {
    private final FutureCallback<T> delegate;
    private final LateCall call;

    Callback(FutureCallback<T> delegate, LateCall call) {
      this.delegate = delegate;
      this.call = call;
    }

    private FutureCallback<T> target() {
      LlmExchange e = call.exchange;
      return e == null ? delegate : new EndWithCallback<>(delegate, e);
    }

    @Override
    public void completed(T result) {
      FutureCallback<T> t = target();
      if (t != null) {
        t.completed(result);
      }
    }

    @Override
    public void failed(Exception ex) {
      FutureCallback<T> t = target();
      if (t != null) {
        t.failed(ex);
      }
    }

    @Override
    public void cancelled() {
      FutureCallback<T> t = target();
      if (t != null) {
        t.cancelled();
      }
    }
  }
}
