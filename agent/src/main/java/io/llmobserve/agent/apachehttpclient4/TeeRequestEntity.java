package io.llmobserve.agent.apachehttpclient4;

import io.llmobserve.agent.common.ExchangeOutputStream;
import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.http.HttpEntity;
import org.apache.http.entity.HttpEntityWrapper;

/** The app's request entity, written unchanged; the first write also goes to the exchange. */
final class TeeRequestEntity extends HttpEntityWrapper {
  private final LlmExchange exchange;

  TeeRequestEntity(HttpEntity delegate, LlmExchange exchange) {
    super(delegate);
    this.exchange = exchange;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    if (out != null && exchange.claimRequestTee()) {
      super.writeTo(new ExchangeOutputStream(out, exchange, false));
    } else {
      super.writeTo(out);
    }
  }
}
