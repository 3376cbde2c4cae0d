package io.llmobserve.agent.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body stream for classic (blocking) clients: the app reads exactly what the client's
 * stream gives; each read's bytes are also shown to the exchange. The exchange ends at EOF or
 * close, and fails on a read error (rethrown unchanged). mark/reset is not offered (a reset would
 * show bytes twice). A new client's hook wraps its response stream with this and needs no stream
 * class of its own.
 */
public class TeeInputStream extends FilterInputStream {
  private final LlmExchange exchange;

  public TeeInputStream(InputStream delegate, LlmExchange exchange) {
    super(delegate);
    this.exchange = exchange;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = super.read();
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
    if (b < 0) {
      exchange.end();
    } else {
      exchange.responseBody(new byte[] {(byte) b}, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n;
    try {
      n = super.read(buffer, offset, length);
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
    if (n < 0) {
      exchange.end();
    } else if (n > 0) {
      exchange.responseBody(buffer, offset, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // skipped bytes are not seen: read them through the tee instead, as the app would
    byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported (see class comment)
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
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
