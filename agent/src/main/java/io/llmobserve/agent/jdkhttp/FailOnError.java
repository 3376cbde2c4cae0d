package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/** Ends the span when an async exchange fails before its body (connect error, cancel). */
final class FailOnError implements BiConsumer<Object, Throwable> {
  private final LlmExchange exchange;

  FailOnError(LlmExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public void accept(Object response, Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      exchange.fail(cause);
    }
  }
}
