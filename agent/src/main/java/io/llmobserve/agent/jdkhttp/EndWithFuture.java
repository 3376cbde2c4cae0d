package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * Async exchanges: a failed response future (connect error, cancel) fails the span; either way the
 * deferred end is released (the body may still be streaming: it then ends the span itself).
 */
final class EndWithFuture implements BiConsumer<Object, Throwable> {
  private final LlmExchange exchange;
  private final AppContextFuture<Object> appFuture; // null: the app got the client's future

  EndWithFuture(LlmExchange exchange, AppContextFuture<Object> appFuture) {
    this.exchange = exchange;
    this.appFuture = appFuture;
  }

  @Override
  public void accept(Object response, Throwable error) {
    try {
      if (error != null) {
        Throwable cause =
            error instanceof CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        exchange.fail(cause);
      }
      exchange.releaseEnd();
    } finally {
      if (appFuture != null) {
        completeInAppContext(response, error);
      }
    }
  }

  private void completeInAppContext(Object response, Throwable error) {
    try (Scope ignored = exchange.parentContext().makeCurrent()) {
      if (error != null) {
        appFuture.completeExceptionally(error);
      } else {
        appFuture.complete(response);
      }
    }
  }
}
