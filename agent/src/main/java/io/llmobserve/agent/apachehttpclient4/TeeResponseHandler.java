package io.llmobserve.agent.apachehttpclient4;

import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import org.apache.http.HttpResponse;
import org.apache.http.client.ResponseHandler;

/** The app's response handler, handed the response with a teeing entity. */
final class TeeResponseHandler<T> implements ResponseHandler<T> {
  private final ResponseHandler<T> delegate;
  private final LlmExchange exchange;

  TeeResponseHandler(ResponseHandler<T> delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public T handleResponse(HttpResponse response) throws IOException {
    try {
      if (response != null) {
        ApacheHttpClient4Support.teeResponse(response, exchange);
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
    try {
      return delegate.handleResponse(response);
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
  }
}
