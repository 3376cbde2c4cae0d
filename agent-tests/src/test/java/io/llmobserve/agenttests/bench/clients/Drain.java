package io.llmobserve.agenttests.bench.clients;

import java.io.IOException;
import java.io.InputStream;

/** Reads a body to the end as an app reading a stream does (not a BenchClient). */
final class Drain {
  private Drain() {}

  static long all(InputStream in) throws IOException {
    long n = 0;
    byte[] buf = new byte[8192];
    try (in) {
      for (int r; (r = in.read(buf)) != -1; ) {
        n += r;
      }
    }
    return n;
  }
}
