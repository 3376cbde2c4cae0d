package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * Async exchanges: a failed response future (connect error, cancel) fails the span; either way the
 * deferred end is released (the body may still be streaming: it then ends the span itself).
 */
final class EndWithFuture implements BiConsumer<Object, Throwable> {
  private final LlmExchange exchange;

  EndWithFuture(LlmExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public void accept(Object response, Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      exchange.fail(cause);
    }
    exchange.releaseEnd();
  }
}
