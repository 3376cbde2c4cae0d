package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.LlmExchange;
import org.apache.hc.core5.concurrent.FutureCallback;

/**
 * Wraps the app's callback (possibly null): when the async call completes, fails or is cancelled,
 * the held end is released: where upstream's HTTP span, which ours replaces, would have ended (and
 * where, under an app's own producer, upstream's span beside ours has ended).
 */
final class EndWithCallback<T> implements FutureCallback<T> {
  private final FutureCallback<T> delegate;
  private final LlmExchange exchange;

  EndWithCallback(FutureCallback<T> delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public void completed(T result) {
    exchange.releaseEnd();
    if (delegate != null) {
      delegate.completed(result);
    }
  }

  @Override
  public void failed(Exception ex) {
    exchange.fail(ex);
    exchange.releaseEnd();
    if (delegate != null) {
      delegate.failed(ex);
    }
  }

  @Override
  public void cancelled() {
    exchange.end();
    exchange.releaseEnd();
    if (delegate != null) {
      delegate.cancelled();
    }
  }
}
