package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Passes every signal to the app's subscriber unchanged and in order; shows the response buffers to
 * the exchange first (reading without moving positions) and ends the span on complete/error/cancel.
 */
final class TeeBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
  private final HttpResponse.BodySubscriber<T> delegate;
  private final LlmExchange exchange;

  TeeBodySubscriber(HttpResponse.BodySubscriber<T> delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  /**
   * The app's body, unchanged. It is not watched for reachability as OkHttp's is: the JDK keeps the
   * body value reachable from the connection (its body future) until the body ends, so it never
   * looks dropped; an unread JDK body is ended by the idle deadline (see AbandonWatch).
   */
  @Override
  public CompletionStage<T> getBody() {
    return delegate.getBody();
  }

  /** The app's subscriber, whose getBody() this one returns. */
  HttpResponse.BodySubscriber<T> appSubscriber() {
    return delegate;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    Flow.Subscription s = subscription;
    if (subscription != null) {
      s = new EndOnCancelSubscription(subscription, exchange);
    }
    delegate.onSubscribe(s);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    try {
      if (items != null && !exchange.isEnded()) {
        for (int i = 0, n = items.size(); i < n; i++) {
          ByteBuffer b = items.get(i);
          if (b != null) {
            exchange.responseBody(b);
          }
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
    delegate.onNext(items);
  }

  @Override
  public void onError(Throwable throwable) {
    exchange.fail(throwable);
    delegate.onError(throwable);
  }

  @Override
  public void onComplete() {
    // end first: when the app's body future completes, the span is already over
    exchange.end();
    delegate.onComplete();
  }
}
