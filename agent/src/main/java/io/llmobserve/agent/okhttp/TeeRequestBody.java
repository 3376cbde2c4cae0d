package io.llmobserve.agent.okhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/** Writes exactly the app's body; the first write is also shown to the exchange. */
final class TeeRequestBody extends RequestBody {
  private final RequestBody delegate;
  private final LlmExchange exchange;

  TeeRequestBody(RequestBody delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() throws IOException {
    return delegate.contentLength();
  }

  @Override
  public boolean isOneShot() {
    return delegate.isOneShot();
  }

  @Override
  public boolean isDuplex() {
    return delegate.isDuplex();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    if (!exchange.claimRequestTee()) {
      delegate.writeTo(sink);
      return;
    }
    BufferedSink tee = Okio.buffer(new TeeSink(sink, exchange));
    delegate.writeTo(tee);
    // Hand everything to the real sink; flushing stays the caller's decision. A body that closed
    // its sink (try-with-resources on sink.outputStream(), Jackson's AUTO_CLOSE_TARGET) has
    // already written everything through, and emit() on a closed sink would throw at the app.
    if (tee.isOpen()) {
      tee.emit();
    }
  }

  /** Copies each write for the exchange, then forwards it unchanged. */
  static final class TeeSink extends ForwardingSink {
    private final ExchangeBodyStream tee;

    TeeSink(BufferedSink delegate, LlmExchange exchange) {
      super(delegate);
      this.tee = new ExchangeBodyStream(exchange, false);
    }

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      try {
        if (byteCount > 0) {
          source.copyTo(tee, 0, byteCount); // reads without consuming
        }
      } catch (Throwable ignored) {
        // never disturb the app
      }
      super.write(source, byteCount);
    }

    @Override
    public void close() throws IOException {
      // the real sink belongs to OkHttp: never close it from here
      flush();
    }
  }
}
