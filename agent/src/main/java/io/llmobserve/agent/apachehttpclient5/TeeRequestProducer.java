package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/** The app's request producer; the first attempt's body bytes are also shown to the exchange. */
final class TeeRequestProducer implements AsyncRequestProducer {
  private final AsyncRequestProducer delegate;
  private final LlmExchange exchange;
  private volatile boolean teeing;

  TeeRequestProducer(AsyncRequestProducer delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public void sendRequest(RequestChannel channel, HttpContext context)
      throws HttpException, IOException {
    // a retry sends the request again: the library sees the body once
    teeing = exchange.claimRequestTee();
    delegate.sendRequest(channel, context);
  }

  @Override
  public boolean isRepeatable() {
    return delegate.isRepeatable();
  }

  @Override
  public void failed(Exception cause) {
    delegate.failed(cause);
  }

  @Override
  public int available() {
    return delegate.available();
  }

  @Override
  public void produce(DataStreamChannel channel) throws IOException {
    delegate.produce(teeing && channel != null ? new TeeChannel(channel, exchange) : channel);
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }

  /** Shows exactly the bytes the channel accepted (it may take part of a buffer). */
  static final class TeeChannel implements DataStreamChannel {
    private final DataStreamChannel delegate;
    private final LlmExchange exchange;

    TeeChannel(DataStreamChannel delegate, LlmExchange exchange) {
      this.delegate = delegate;
      this.exchange = exchange;
    }

    @Override
    public void requestOutput() {
      delegate.requestOutput();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (src == null) {
        return delegate.write(null);
      }
      int start = src.position();
      int n = delegate.write(src);
      try {
        if (n > 0) {
          ByteBuffer written = src.duplicate();
          written.position(start);
          written.limit(start + n);
          exchange.requestBody(written);
        }
      } catch (Throwable ignored) {
        // never disturb the app
      }
      return n;
    }

    @Override
    public void endStream() throws IOException {
      delegate.endStream();
    }

    @Override
    public void endStream(List<? extends Header> trailers) throws IOException {
      delegate.endStream(trailers);
    }
  }
}
