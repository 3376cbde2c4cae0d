package io.llmobserve.agent.common;

import io.llmobserve.providers.UrlRedactor;
import java.util.Locale;

/** Where a request goes, reduced to what may be recorded: no user info, no query. */
public final class ServerUrl {
  public final String scheme;
  public final String host;

  /** Explicit port, or the scheme's default. */
  public final int port;

  /** Port as it appeared in the URL, -1 when absent (for the detector). */
  public final int rawPort;

  public final String path;

  /**
   * The client's URL object (URI, HttpUrl); its toString() is the whole URL as the app gave it,
   * computed only for LLM calls and only ever recorded through {@link #redactedUrl()}.
   */
  private final Object fullUrl;

  public ServerUrl(String scheme, String host, int rawPort, String path, Object fullUrl) {
    this.fullUrl = fullUrl;
    this.scheme = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
    this.host = host == null ? "" : host.toLowerCase(Locale.ROOT);
    this.rawPort = rawPort;
    this.port = rawPort > 0 ? rawPort : defaultPort(this.scheme);
    this.path = path == null || path.isEmpty() ? "/" : path;
  }

  static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }

  /**
   * url.full with credentials removed by the providers library (user info, key/token/signature
   * query values); if that fails, the URL without user info and query.
   */
  public String redactedUrl() {
    if (fullUrl != null) {
      try {
        String redacted = UrlRedactor.redact(fullUrl.toString());
        if (redacted != null) {
          return redacted;
        }
      } catch (Throwable ignored) {
        // fall back to the reduced form
      }
    }
    return reducedUrl();
  }

  /** scheme://host[:port]/path: nothing secret can be in it. */
  String reducedUrl() {
    StringBuilder sb = new StringBuilder(scheme.length() + host.length() + path.length() + 10);
    sb.append(scheme).append("://");
    if (host.indexOf(':') >= 0) {
      sb.append('[').append(host).append(']');
    } else {
      sb.append(host);
    }
    if (rawPort > 0) {
      sb.append(':').append(rawPort);
    }
    return sb.append(path).toString();
  }
}
