package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * Publishes exactly what the app's publisher publishes, showing the first subscription's bytes to
 * the exchange.
 */
public final class TeeBodyPublisher implements HttpRequest.BodyPublisher {
  private final HttpRequest.BodyPublisher delegate;
  private final LlmExchange exchange;

  TeeBodyPublisher(HttpRequest.BodyPublisher delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    Flow.Subscriber<? super ByteBuffer> target = subscriber;
    try {
      // resends (redirects, auth retries) subscribe again: read the body once
      if (subscriber != null && exchange.claimRequestTee()) {
        target = new TeeRequestSubscriber(subscriber, exchange);
      }
    } catch (Throwable ignored) {
      target = subscriber;
    }
    delegate.subscribe(target);
  }
}
