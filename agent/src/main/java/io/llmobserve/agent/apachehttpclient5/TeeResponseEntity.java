package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.ExchangeInputStream;
import io.llmobserve.agent.common.ExchangeOutputStream;
import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The response entity the app reads, unchanged: its content stream (or writeTo) shows the bytes to
 * the exchange; the span ends at EOF, on close (also {@code response.close()}, which closes the
 * entity) or on a read failure.
 */
final class TeeResponseEntity extends HttpEntityWrapper {
  private final LlmExchange exchange;
  private InputStream content;
  private ExchangeInputStream tee;

  TeeResponseEntity(HttpEntity delegate, LlmExchange exchange) {
    super(delegate);
    this.exchange = exchange;
  }

  @Override
  public synchronized InputStream getContent() throws IOException {
    InputStream in;
    try {
      in = super.getContent();
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
    if (in == null) {
      exchange.end();
      return null;
    }
    if (tee == null) {
      content = in;
      tee = new ExchangeInputStream(in, exchange);
      return tee;
    }
    // a streamed entity hands out its one stream again; a repeatable one a fresh copy (not teed)
    return in == content ? tee : in;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    if (out == null) {
      super.writeTo(null);
      return;
    }
    try {
      super.writeTo(new ExchangeOutputStream(out, exchange, true));
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
    exchange.end();
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      exchange.end();
    }
  }
}
