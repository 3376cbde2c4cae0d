package io.llmobserve.agent.jdkhttp;

import java.util.concurrent.CompletableFuture;

/**
 * The response future {@code sendAsync} hands the app when our span replaced upstream's HTTP span:
 * upstream's instrumentation, which would have done it, no longer runs. It completes with the
 * client's future (see {@link EndWithFuture}), with the app's context current, so the app's
 * dependent stages run in the context the call was made from, never in the exchange's (which holds
 * our span as the HTTP client span: a call made there would lose its upstream HTTP span).
 * Cancelling it, or a stage built on it, cancels the client's future, as the client's own would.
 */
final class AppContextFuture<T> extends CompletableFuture<T> {
  private final CompletableFuture<?> clientFuture;

  AppContextFuture(CompletableFuture<?> clientFuture) {
    this.clientFuture = clientFuture;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new AppContextFuture<>(clientFuture);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    clientFuture.cancel(mayInterruptIfRunning);
    return cancelled;
  }
}
