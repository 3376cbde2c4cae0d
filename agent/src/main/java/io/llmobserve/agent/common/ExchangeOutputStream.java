package io.llmobserve.agent.common;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes exactly what it is given to the delegate and shows each successful write to the exchange:
 * as the request body (request entities, HttpURLConnection's output stream) or as the response body
 * (a response entity's {@code writeTo}).
 */
public final class ExchangeOutputStream extends OutputStream {
  private final OutputStream delegate;
  private final LlmExchange exchange;
  private final boolean response;

  public ExchangeOutputStream(OutputStream delegate, LlmExchange exchange, boolean response) {
    this.delegate = delegate;
    this.exchange = exchange;
    this.response = response;
  }

  @Override
  public void write(int b) throws IOException {
    delegate.write(b);
    byte[] one = {(byte) b};
    show(one, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    delegate.write(b, off, len);
    if (len > 0) {
      show(b, off, len);
    }
  }

  private void show(byte[] b, int off, int len) {
    if (response) {
      exchange.responseBody(b, off, len);
    } else {
      exchange.requestBody(b, off, len);
    }
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
