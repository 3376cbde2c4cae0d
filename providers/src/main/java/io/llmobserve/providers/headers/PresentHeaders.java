package io.llmobserve.providers.headers;

import io.llmobserve.providers.HeaderReader;

/**
 * A client's response headers behind a filter of the names present: one pass over the names (a bit
 * per name in 128), then a lookup of a name whose bit is clear answers "absent" at once. The
 * library asks a response for some 35 names (every provider's rate-limit, request-id, timing and
 * hosting headers) and most are absent; the clients' own lookups are a tree search with
 * case-insensitive compares (JDK) or a scan of every header (Apache, OkHttp, HttpURLConnection),
 * which made header reading the agent's largest CPU cost on the JDK client. A set bit only means
 * "ask the client", so answers are the client's own.
 */
public final class PresentHeaders implements HeaderReader, HeaderReader.NameSink {
  private final HeaderReader client;
  private long bits0;
  private long bits1;

  private PresentHeaders(HeaderReader client) {
    this.client = client;
  }

  /** {@code client} behind the filter, or {@code client} itself when it cannot list its names. */
  public static HeaderReader of(HeaderReader client) {
    PresentHeaders filtered = new PresentHeaders(client);
    return client.listNames(filtered) ? filtered : client;
  }

  @Override
  public void name(String headerName) {
    if (headerName == null) {
      return;
    }
    // String.hashCode of the lower-case name, so that a lookup can use its literal's cached hash
    int h = 0;
    for (int i = 0; i < headerName.length(); i++) {
      char c = headerName.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      } else if (c >= 0x80) {
        // not a token character: the client may fold its case in ways this hash does not
        bits0 = -1L;
        bits1 = -1L;
        return;
      }
      h = 31 * h + c;
    }
    int bit = bit(h);
    if (bit < 64) {
      bits0 |= 1L << bit;
    } else {
      bits1 |= 1L << bit;
    }
  }

  /** False when no header of this (lower-case) name is present; true means "maybe". */
  boolean mayHave(String lowerCaseName) {
    int bit = bit(lowerCaseName.hashCode());
    return ((bit < 64 ? bits0 : bits1) & (1L << bit)) != 0;
  }

  private static int bit(int hash) {
    return (hash * 0x9E3779B9) >>> 25; // the top 7 bits of a multiplicative hash: 0..127
  }

  @Override
  public String get(String lowerCaseName) {
    return mayHave(lowerCaseName) ? client.get(lowerCaseName) : null;
  }

  @Override
  public long getLong(String lowerCaseName) {
    return mayHave(lowerCaseName) ? client.getLong(lowerCaseName) : -1;
  }

  @Override
  public double getDouble(String lowerCaseName) {
    return mayHave(lowerCaseName) ? client.getDouble(lowerCaseName) : Double.NaN;
  }

  @Override
  public boolean listNames(NameSink sink) {
    return client.listNames(sink);
  }
}
