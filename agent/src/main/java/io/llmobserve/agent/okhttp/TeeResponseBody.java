package io.llmobserve.agent.okhttp;

import io.llmobserve.agent.common.LlmExchange;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The app's response body, unchanged, whose bytes are also shown to the exchange as they are read;
 * the span ends at EOF, on close, or on a read failure. This object is what the abandon watch
 * tracks: its source (and any stream or reader over it) keeps it reachable, so it becomes
 * unreachable only when the app dropped every way to read the body.
 */
final class TeeResponseBody extends ResponseBody {
  private final ResponseBody delegate;
  private final LlmExchange exchange;
  private BufferedSource source;

  TeeResponseBody(ResponseBody delegate, LlmExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public synchronized BufferedSource source() {
    if (source == null) {
      source = Okio.buffer(new TeeSource(delegate.source(), exchange, this));
    }
    return source;
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      exchange.end();
    }
  }

  static final class TeeSource extends ForwardingSource {
    private final LlmExchange exchange;
    private final ExchangeBodyStream tee;

    // the app may keep only body.byteStream()/source(): the body must then stay reachable, or the
    // abandon watch would take a body being read for a dropped one
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final TeeResponseBody owner;

    TeeSource(okio.Source delegate, LlmExchange exchange, TeeResponseBody owner) {
      super(delegate);
      this.exchange = exchange;
      this.owner = owner;
      this.tee = new ExchangeBodyStream(exchange, true);
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long n;
      try {
        n = super.read(sink, byteCount);
      } catch (IOException | RuntimeException | Error e) {
        exchange.fail(e);
        throw e;
      }
      if (n == -1) {
        exchange.end();
      } else if (n > 0) {
        try {
          sink.copyTo(tee, sink.size() - n, n); // the bytes just read, not consumed
        } catch (Throwable ignored) {
          // never disturb the app
        }
      }
      return n;
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
}
