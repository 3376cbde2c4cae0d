package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.net.http.HttpResponse;

/** Gives the exchange the status and headers, then wraps the app's subscriber. */
public final class TeeBodyHandler<T> implements HttpResponse.BodyHandler<T> {
  private final HttpResponse.BodyHandler<T> delegate;
  private final LlmExchange exchange;

  TeeBodyHandler(HttpResponse.BodyHandler<T> delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
    try {
      exchange.responseHeaders(info.statusCode(), JdkHttpLlmSupport.headerReader(info.headers()));
      exchange.networkProtocolVersion(JdkHttpLlmSupport.protocolVersion(info.version()));
    } catch (Throwable ignored) {
      // never disturb the app
    }
    HttpResponse.BodySubscriber<T> subscriber;
    try {
      subscriber = delegate.apply(info);
    } catch (RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
    if (subscriber == null) {
      return null;
    }
    return new TeeBodySubscriber<>(subscriber, exchange);
  }
}
