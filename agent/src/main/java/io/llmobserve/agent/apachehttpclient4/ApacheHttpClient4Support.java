package io.llmobserve.agent.apachehttpclient4;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.ServerUrl;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.headers.HeaderNumbers;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.URI;
import org.apache.http.FormattedHeader;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpMessage;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.ProtocolVersion;
import org.apache.http.client.ResponseHandler;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.util.CharArrayBuffer;

/** What the Apache HttpClient 4 advice calls; every method is safe to call with anything. */
public final class ApacheHttpClient4Support {
  private ApacheHttpClient4Support() {}

  /** One {@code execute}: the exchange, its scope and the request entity it replaced. */
  public static final class Call {
    final LlmExchange exchange;
    final HttpEntityEnclosingRequest request;
    final HttpEntity originalEntity;
    final Scope scope;

    Call(
        LlmExchange exchange,
        HttpEntityEnclosingRequest request,
        HttpEntity originalEntity,
        Scope scope) {
      this.exchange = exchange;
      this.request = request;
      this.originalEntity = originalEntity;
      this.scope = scope;
    }
  }

  /**
   * The request's URL as the detector needs it, or null when its path cannot be an LLM call
   * (decided from the path string before anything is built: most traffic stops here).
   */
  static ServerUrl serverUrl(HttpHost target, HttpRequest request) {
    URI uri = null;
    if (request instanceof HttpUriRequest) {
      uri = ((HttpUriRequest) request).getURI();
    }
    if (uri == null) {
      String line = request.getRequestLine().getUri();
      if (!LlmExchange.mayBeLlmCall(pathOf(line))) {
        return null;
      }
      uri = URI.create(line);
    } else if (!LlmExchange.mayBeLlmCall(uri.getRawPath())) {
      return null;
    }
    if (target != null) {
      return new ServerUrl(
          target.getSchemeName(),
          target.getHostName(),
          target.getPort(),
          uri.getRawPath(),
          uri.isAbsolute() ? uri : new TargetUrl(target, uri));
    }
    if (!uri.isAbsolute()) {
      return null; // the client fails a relative request without a target
    }
    return new ServerUrl(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), uri);
  }

  /**
   * The path part of a request-line URI ("/p?q" or "http://h/p?q") as a string to test; the
   * absolute form's path is a substring (rare: requests built without a URI object).
   */
  static String pathOf(String requestUri) {
    if (requestUri == null || requestUri.isEmpty() || requestUri.charAt(0) == '/') {
      return requestUri;
    }
    int scheme = requestUri.indexOf("://");
    if (scheme < 0) {
      return requestUri;
    }
    int slash = requestUri.indexOf('/', scheme + 3);
    return slash < 0 ? "/" : requestUri.substring(slash);
  }

  static HeaderReader headers(HttpMessage message) {
    return new MessageHeaders(message, null);
  }

  /**
   * A message's headers for the library; with an entity, Content-Encoding as the entity the app
   * gets names it (a decoding client's entity no longer does). Numbers (rate limits, processing
   * time) are parsed in the client's own buffer: a parsed header's {@code getValue()} builds a new
   * String on every call.
   */
  static final class MessageHeaders implements HeaderReader {
    private final HttpMessage message;
    private final HttpEntity entity;

    MessageHeaders(HttpMessage message, HttpEntity entity) {
      this.message = message;
      this.entity = entity;
    }

    @Override
    public String get(String lowerCaseName) {
      Header h =
          entity != null && "content-encoding".equals(lowerCaseName)
              ? entity.getContentEncoding()
              : message.getFirstHeader(lowerCaseName);
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

  public static Call start(HttpHost target, HttpRequest request) {
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
          LlmExchange.startAsHttpClientSpan(
              url, request.getRequestLine().getMethod(), headers(request));
      if (exchange == null) {
        return null;
      }
      exchange.propagateAsHttpClientSpan(request, HeaderSetter.INSTANCE);
      // the HTTP span upstream ends when execute returns: ours ends no earlier
      exchange.holdEnd();
      HttpEntityEnclosingRequest withBody = null;
      HttpEntity entity = null;
      if (request instanceof HttpEntityEnclosingRequest) {
        withBody = (HttpEntityEnclosingRequest) request;
        entity = withBody.getEntity();
        if (entity != null) {
          withBody.setEntity(new TeeRequestEntity(entity, exchange));
        }
      }
      return new Call(exchange, withBody, entity, exchange.makeCurrent());
    } catch (Throwable t) {
      return null;
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  public static ResponseHandler wrapHandler(ResponseHandler handler, Call call) {
    if (call == null || handler == null || handler instanceof TeeResponseHandler) {
      return handler;
    }
    return new TeeResponseHandler(handler, call.exchange);
  }

  public static void end(Call call, Object returned, Throwable thrown) {
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
      // the request keeps the (byte-identical) teeing entity
    }
    LlmExchange exchange = call.exchange;
    try {
      if (thrown != null) {
        exchange.fail(thrown);
      } else if (returned instanceof HttpResponse) {
        teeResponse((HttpResponse) returned, exchange);
      }
    } catch (Throwable ignored) {
      exchange.end();
    } finally {
      exchange.releaseEnd();
    }
  }

  static void teeResponse(HttpResponse response, LlmExchange exchange) {
    HttpEntity entity = response.getEntity();
    if (entity instanceof TeeResponseEntity) {
      return;
    }
    ProtocolVersion version = response.getProtocolVersion();
    if (version != null) {
      exchange.networkProtocolVersion(version.getMajor(), version.getMinor());
    }
    // the body as the app gets it: a decoding client's entity no longer names the encoding
    exchange.responseHeaders(
        response.getStatusLine().getStatusCode(), new MessageHeaders(response, entity));
    if (entity == null) {
      exchange.end();
      return;
    }
    response.setEntity(new TeeResponseEntity(entity, exchange));
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

  /** url.full of a request given as target + relative URI, computed only for LLM calls. */
  static final class TargetUrl {
    private final HttpHost target;
    private final URI uri;

    TargetUrl(HttpHost target, URI uri) {
      this.target = target;
      this.uri = uri;
    }

    @Override
    public String toString() {
      String path = uri.toString();
      return target.toURI() + (path.startsWith("/") ? path : "/" + path);
    }
  }
}
