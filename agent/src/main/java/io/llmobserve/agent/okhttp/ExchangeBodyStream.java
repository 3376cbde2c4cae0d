package io.llmobserve.agent.okhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.io.OutputStream;

/**
 * Lets okio copy segments straight into the exchange ({@code Buffer.copyTo(OutputStream, ...)}
 * writes each segment's array): no intermediate copy. Arrays are not retained by the library.
 */
final class ExchangeBodyStream extends OutputStream {
  private final LlmExchange exchange;
  private final boolean response;

  ExchangeBodyStream(LlmExchange exchange, boolean response) {
    this.exchange = exchange;
    this.response = response;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    if (response) {
      exchange.responseBody(bytes, offset, length);
    } else {
      exchange.requestBody(bytes, offset, length);
    }
  }
}
