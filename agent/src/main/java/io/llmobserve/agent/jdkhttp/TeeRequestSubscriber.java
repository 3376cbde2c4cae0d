package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/** Shows each request buffer to the exchange (position untouched) before passing it on. */
final class TeeRequestSubscriber implements Flow.Subscriber<ByteBuffer> {
  private final Flow.Subscriber<? super ByteBuffer> downstream;
  private final LlmExchange exchange;

  TeeRequestSubscriber(Flow.Subscriber<? super ByteBuffer> downstream, LlmExchange exchange) {
    this.downstream = downstream;
    this.exchange = exchange;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    downstream.onSubscribe(subscription);
  }

  @Override
  public void onNext(ByteBuffer item) {
    if (item != null) {
      exchange.requestBody(item);
    }
    downstream.onNext(item);
  }

  @Override
  public void onError(Throwable throwable) {
    downstream.onError(throwable);
  }

  @Override
  public void onComplete() {
    downstream.onComplete();
  }
}
