package io.llmobserve.agent.common;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A request body stream for classic clients: writes exactly what the app writes to the client's
 * stream, and shows the bytes to the exchange when this stream holds the exchange's request tee
 * ({@link LlmExchange#claimRequestTee()}: a retried or replayed body is seen once). Closing it
 * closes the client's stream, as the app expects.
 */
public class TeeOutputStream extends FilterOutputStream {
  private final LlmExchange exchange;
  private final boolean teeing;

  public TeeOutputStream(OutputStream delegate, LlmExchange exchange) {
    super(delegate);
    this.exchange = exchange;
    this.teeing = exchange.claimRequestTee();
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    if (teeing) {
      exchange.requestBody(new byte[] {(byte) b}, 0, 1);
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length); // the client's own bounds checks and errors, unchanged
    if (teeing) {
      exchange.requestBody(bytes, offset, length);
    }
  }
}
