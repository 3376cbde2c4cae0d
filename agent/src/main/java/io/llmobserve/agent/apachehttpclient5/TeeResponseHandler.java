package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;

/**
 * The app's response handler, handed the response with a teeing entity. The client consumes what
 * the handler left unread and closes the response afterwards: the span ends there.
 */
final class TeeResponseHandler<T> implements HttpClientResponseHandler<T> {
  private final HttpClientResponseHandler<T> delegate;
  private final LlmExchange exchange;

  TeeResponseHandler(HttpClientResponseHandler<T> delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public T handleResponse(ClassicHttpResponse response) throws HttpException, IOException {
    try {
      if (response != null) {
        ApacheHttpClient5Support.teeResponse(response, exchange);
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
    try {
      return delegate.handleResponse(response);
    } catch (HttpException | IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
  }
}
