package io.llmobserve.agent.apachehttpclient5;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.ServerUrl;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.headers.HeaderNumbers;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.FormattedHeader;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpMessage;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.CharArrayBuffer;

/** What the Apache HttpClient 5 advice calls; every method is safe to call with anything. */
public final class ApacheHttpClient5Support {
  private ApacheHttpClient5Support() {}

  /** One classic {@code execute}: the exchange, its scope and the request entity it replaced. */
  public static final class ClassicCall {
    final LlmExchange exchange;
    final ClassicHttpRequest request;
    final HttpEntity originalEntity;
    final Scope scope;

    ClassicCall(
        LlmExchange exchange, ClassicHttpRequest request, HttpEntity originalEntity, Scope scope) {
      this.exchange = exchange;
      this.request = request;
      this.originalEntity = originalEntity;
      this.scope = scope;
    }

    public LlmExchange exchange() {
      return exchange;
    }
  }

  /**
   * The request's URL as the detector needs it; target (may be null) wins over the request's. Null
   * when the path cannot be an LLM call: decided from the path string before anything is built.
   */
  static ServerUrl serverUrl(HttpHost target, HttpRequest request) {
    String path = request.getPath(); // with the query: only url.full (redacted) may see it
    if (!LlmExchange.mayBeLlmCall(path)) {
      return null; // most traffic: nothing allocated
    }
    String scheme;
    String host;
    int port;
    if (target != null) {
      scheme = target.getSchemeName();
      host = target.getHostName();
      port = target.getPort();
    } else {
      URIAuthority authority = request.getAuthority();
      if (authority == null) {
        return null; // a relative request without a target: the client would fail it anyway
      }
      scheme = request.getScheme();
      host = authority.getHostName();
      port = authority.getPort();
    }
    int query = path.indexOf('?');
    return new ServerUrl(
        scheme,
        host,
        port,
        query < 0 ? path : path.substring(0, query),
        new RequestUrl(scheme, host, port, path));
  }

  static HeaderReader headers(HttpMessage message) {
    return new MessageHeaders(message, false, null);
  }

  /**
   * The response headers as they apply to the body the app gets: the client may have decoded a gzip
   * body already (its entity then says so) while the header still names the encoding.
   */
  static HeaderReader deliveredHeaders(HttpMessage message, HttpEntity entity) {
    return entity == null
        ? headers(message)
        : new MessageHeaders(message, true, entity.getContentEncoding());
  }

  /** Same, with the encoding the client's entity details name. */
  static HeaderReader deliveredHeaders(HttpMessage message, String deliveredContentEncoding) {
    return new MessageHeaders(message, true, deliveredContentEncoding);
  }

  /**
   * A message's headers for the library. Numbers (rate limits, processing time) are parsed in the
   * client's own buffer: a parsed header's {@code getValue()} builds a new String on every call.
   */
  static final class MessageHeaders implements HeaderReader {
    private final HttpMessage message;
    private final boolean encodingKnown;
    private final String encoding;

    MessageHeaders(HttpMessage message, boolean encodingKnown, String encoding) {
      this.message = message;
      this.encodingKnown = encodingKnown;
      this.encoding = encoding;
    }

    @Override
    public String get(String lowerCaseName) {
      if (encodingKnown && "content-encoding".equals(lowerCaseName)) {
        return encoding;
      }
      Header h = message.getFirstHeader(lowerCaseName);
      return h == null ? null : h.getValue();
    }

    @Override
    public long getLong(String lowerCaseName) {
      Header h = message.getFirstHeader(lowerCaseName);
      if (h instanceof FormattedHeader) {
        FormattedHeader formatted = (FormattedHeader) h;
        CharArrayBuffer buffer = formatted.getBuffer();
        return HeaderNumbers.parseLong(buffer, formatted.getValuePos(), buffer.length());
      }
      String value = h == null ? null : h.getValue();
      return value == null ? -1 : HeaderNumbers.parseLong(value, 0, value.length());
    }

    @Override
    public double getDouble(String lowerCaseName) {
      Header h = message.getFirstHeader(lowerCaseName);
      if (h instanceof FormattedHeader) {
        FormattedHeader formatted = (FormattedHeader) h;
        CharArrayBuffer buffer = formatted.getBuffer();
        return HeaderNumbers.parseDouble(buffer, formatted.getValuePos(), buffer.length());
      }
      String value = h == null ? null : h.getValue();
      return value == null ? Double.NaN : HeaderNumbers.parseDouble(value, 0, value.length());
    }
  }

  /**
   * Starts observing a classic call when it is an LLM call: tees the request entity (the original
   * is put back on exit) and makes the span current. Null otherwise.
   */
  public static ClassicCall startClassic(HttpHost target, ClassicHttpRequest request) {
    try {
      if (request == null) {
        return null;
      }
      ServerUrl url = serverUrl(target, request);
      if (url == null) {
        return null;
      }
      // ours is the call's HTTP client span: upstream's, suppressed under it, would have written
      // traceparent; we write it instead (same header, same place: the request's headers)
      LlmExchange exchange =
          LlmExchange.startAsHttpClientSpan(url, request.getMethod(), headers(request));
      if (exchange == null) {
        return null;
      }
      exchange.propagateAsHttpClientSpan(request, HeaderSetter.INSTANCE);
      // the HTTP span upstream ends when execute returns: ours ends no earlier
      exchange.holdEnd();
      HttpEntity entity = request.getEntity();
      if (entity != null) {
        request.setEntity(new TeeRequestEntity(entity, exchange));
      }
      return new ClassicCall(exchange, request, entity, exchange.makeCurrent());
    } catch (Throwable t) {
      return null;
    }
  }

  /** The app's handler, wrapped so that it reads a teeing entity. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static HttpClientResponseHandler wrapHandler(
      HttpClientResponseHandler handler, ClassicCall call) {
    if (call == null || handler == null || handler instanceof TeeResponseHandler) {
      return handler;
    }
    return new TeeResponseHandler(handler, call.exchange);
  }

  /** execute returned (a response without handler) or threw. */
  public static void endClassic(ClassicCall call, Object returned, Throwable thrown) {
    if (call == null) {
      return;
    }
    try {
      call.scope.close();
    } catch (Throwable ignored) {
      // never disturb the app
    }
    try {
      if (call.originalEntity != null) {
        call.request.setEntity(call.originalEntity);
      }
    } catch (Throwable ignored) {
      // the request stays with the (byte-identical) teeing entity
    }
    LlmExchange exchange = call.exchange;
    try {
      if (thrown != null) {
        exchange.fail(thrown);
      } else if (returned instanceof ClassicHttpResponse) {
        teeResponse((ClassicHttpResponse) returned, exchange);
      }
      // a handler's result: the handler wrapper already saw the response
    } catch (Throwable ignored) {
      exchange.end();
    } finally {
      exchange.releaseEnd();
    }
  }

  /** Headers to the exchange, the entity replaced by a teeing one (idempotent). */
  static void teeResponse(ClassicHttpResponse response, LlmExchange exchange) {
    HttpEntity entity = response.getEntity();
    if (entity instanceof TeeResponseEntity) {
      return;
    }
    exchange.networkProtocolVersion(protocolVersion(response.getVersion()));
    exchange.responseHeaders(response.getCode(), deliveredHeaders(response, entity));
    if (entity == null) {
      exchange.end();
      return;
    }
    response.setEntity(new TeeResponseEntity(entity, exchange));
  }

  /** {@code network.protocol.version} as upstream writes it: "1.1", "2". */
  static String protocolVersion(ProtocolVersion version) {
    if (version == null) {
      return null;
    }
    return LlmExchange.protocolVersion(version.getMajor(), version.getMinor());
  }

  /** Writes propagation headers on a request, replacing any earlier value (as upstream does). */
  enum HeaderSetter implements TextMapSetter<HttpMessage> {
    INSTANCE;

    @Override
    public void set(HttpMessage carrier, String key, String value) {
      if (carrier != null) {
        carrier.setHeader(key, value);
      }
    }
  }

  /** url.full, computed only for LLM calls (then redacted by ServerUrl). */
  static final class RequestUrl {
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;

    RequestUrl(String scheme, String host, int port, String path) {
      this.scheme = scheme;
      this.host = host;
      this.port = port;
      this.path = path;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      sb.append(scheme == null ? "http" : scheme).append("://");
      if (host != null && host.indexOf(':') >= 0 && !host.startsWith("[")) {
        sb.append('[').append(host).append(']');
      } else {
        sb.append(host);
      }
      if (port > 0) {
        sb.append(':').append(port);
      }
      if (path == null || path.isEmpty()) {
        sb.append('/');
      } else {
        if (path.charAt(0) != '/') {
          sb.append('/');
        }
        sb.append(path);
      }
      return sb.toString();
    }
  }
}
