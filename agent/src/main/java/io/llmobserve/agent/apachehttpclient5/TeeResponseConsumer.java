package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The app's response consumer (SimpleResponseConsumer, or a streaming AsyncEntityConsumer behind
 * BasicResponseConsumer): each buffer is shown to the exchange (position untouched) before the
 * app's consumer gets it; the span ends at the stream's end or failure.
 */
final class TeeResponseConsumer<T> implements AsyncResponseConsumer<T> {
  private final AsyncResponseConsumer<T> delegate;
  private final LlmExchange exchange;

  TeeResponseConsumer(AsyncResponseConsumer<T> delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public void consumeResponse(
      HttpResponse response,
      EntityDetails entityDetails,
      HttpContext context,
      FutureCallback<T> resultCallback)
      throws HttpException, IOException {
    try {
      if (response != null) {
        ProtocolVersion version = response.getVersion();
        if (version == null && context != null) {
          version = context.getProtocolVersion(); // the exchange's, when the response has none
        }
        exchange.networkProtocolVersion(ApacheHttpClient5Support.protocolVersion(version));
        // the client may decode gzip before this consumer: the entity details say what it gets
        exchange.responseHeaders(
            response.getCode(),
            entityDetails == null
                ? ApacheHttpClient5Support.headers(response)
                : ApacheHttpClient5Support.deliveredHeaders(
                    response, entityDetails.getContentEncoding()));
      }
      if (entityDetails == null) {
        exchange.end(); // no body
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
    delegate.consumeResponse(response, entityDetails, context, resultCallback);
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context)
      throws HttpException, IOException {
    delegate.informationResponse(response, context);
  }

  @Override
  public void failed(Exception cause) {
    exchange.fail(cause);
    delegate.failed(cause);
  }

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    delegate.updateCapacity(capacityChannel);
  }

  @Override
  public void consume(ByteBuffer src) throws IOException {
    if (src != null) {
      exchange.responseBody(src); // reads without moving the position
    }
    delegate.consume(src);
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
    exchange.end();
    delegate.streamEnd(trailers);
  }

  @Override
  public void releaseResources() {
    try {
      delegate.releaseResources();
    } finally {
      exchange.end(); // cancelled or done: a normal end if nothing ended it yet
    }
  }
}
