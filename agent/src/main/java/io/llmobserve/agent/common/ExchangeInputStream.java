package io.llmobserve.agent.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body stream for blocking clients (Apache HttpClient, HttpURLConnection): the app reads
 * exactly the delegate's bytes, the exchange sees each chunk read; the span ends at EOF, on close,
 * or with the read's failure. Mark/reset is not offered (bytes would be seen twice).
 */
public final class ExchangeInputStream extends FilterInputStream {
  private final LlmExchange exchange;
  private final byte[] one = new byte[1];

  public ExchangeInputStream(InputStream delegate, LlmExchange exchange) {
    super(delegate);
    this.exchange = exchange;
  }

  /** The stream this one reads from. */
  public InputStream delegate() {
    return in;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = in.read();
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
    if (b < 0) {
      exchange.end();
    } else {
      one[0] = (byte) b;
      exchange.responseBody(one, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
    if (n < 0) {
      exchange.end();
    } else if (n > 0) {
      exchange.responseBody(b, off, n);
    }
    return n;
  }

  /** Skipped bytes are read (and shown to the exchange): the delegate's skip would hide them. */
  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
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
    // not supported (see markSupported)
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  @Override
  public void close() throws IOException {
    try {
      in.close();
    } finally {
      exchange.end();
    }
  }
}
