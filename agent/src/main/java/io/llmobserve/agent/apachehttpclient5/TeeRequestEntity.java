package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.ExchangeOutputStream;
import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/** The app's request entity, written unchanged; the first write also goes to the exchange. */
final class TeeRequestEntity extends HttpEntityWrapper {
  private final LlmExchange exchange;

  TeeRequestEntity(HttpEntity delegate, LlmExchange exchange) {
    super(delegate);
    this.exchange = exchange;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    // retries and redirects write the body again: the library sees it once
    if (out != null && exchange.claimRequestTee()) {
      super.writeTo(new ExchangeOutputStream(out, exchange, false));
    } else {
      super.writeTo(out);
    }
  }
}
