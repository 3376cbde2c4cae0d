package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.util.concurrent.Flow;

/**
 * The app gave up on the body (closed its InputStream, cancelled a stream): the exchange ends
 * there, as a normal end (closing an SSE stream early after the last event is common).
 */
final class EndOnCancelSubscription implements Flow.Subscription {
  private final Flow.Subscription delegate;
  private final LlmExchange exchange;

  EndOnCancelSubscription(Flow.Subscription delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public void request(long n) {
    delegate.request(n);
  }

  @Override
  public void cancel() {
    exchange.end();
    delegate.cancel();
  }
}
