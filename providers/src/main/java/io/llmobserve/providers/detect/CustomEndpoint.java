package io.llmobserve.providers.detect;

import java.util.Locale;

/** One configured {@code baseUrl=providerName} entry: scheme, host, port and path prefix. */
public final class CustomEndpoint {
  public final String scheme;
  public final String host;
  public final int port;

  /** Without trailing slash; "" matches every path. */
  public final String pathPrefix;

  public final String provider;

  private CustomEndpoint(String scheme, String host, int port, String pathPrefix, String provider) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.pathPrefix = pathPrefix;
    this.provider = provider;
  }

  /** Parses "http://host:port/path=name"; null when malformed. */
  public static CustomEndpoint parse(String entry) {
    int eq = entry.lastIndexOf('=');
    if (eq <= 0 || eq == entry.length() - 1) {
      return null;
    }
    String url = entry.substring(0, eq).trim();
    String name = entry.substring(eq + 1).trim();
    int sep = url.indexOf("://");
    if (sep <= 0 || name.isEmpty()) {
      return null;
    }
    String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    String rest = url.substring(sep + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String host = authority;
    int port = defaultPort(scheme);
    int colon = authority.lastIndexOf(':');
    if (colon > 0 && authority.indexOf(']', colon) < 0) {
      host = authority.substring(0, colon);
      try {
        port = Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (port <= 0 || port > 65535) {
        return null;
      }
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.isEmpty() || host.indexOf('@') >= 0) {
      return null;
    }
    return new CustomEndpoint(scheme, host, port, path, name);
  }

  static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  /** Same host, port (defaults resolved), scheme, and the prefix ends at a path segment. */
  public boolean matches(String requestScheme, String requestHost, int requestPort, String path) {
    if (!host.equals(requestHost)) {
      return false;
    }
    if (requestScheme != null && !scheme.equalsIgnoreCase(requestScheme)) {
      return false;
    }
    int effectivePort =
        requestPort > 0 ? requestPort : defaultPort(requestScheme == null ? scheme : requestScheme);
    if (effectivePort != port) {
      return false;
    }
    if (pathPrefix.isEmpty()) {
      return true;
    }
    return path.startsWith(pathPrefix)
        && (path.length() == pathPrefix.length() || path.charAt(pathPrefix.length()) == '/');
  }
}
