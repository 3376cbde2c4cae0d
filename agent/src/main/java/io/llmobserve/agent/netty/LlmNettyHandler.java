package io.llmobserve.agent.netty;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.LlmTelemetry;
import io.llmobserve.agent.common.ServerUrl;
import io.llmobserve.providers.HeaderReader;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Sits right above a client's HTTP codec (see {@link NettyPipelines}), so requests go down and
 * responses come up through it as HTTP objects: one LLM call at a time per HTTP/1.1 connection, one
 * per HTTP/2 stream channel. For an LLM request it starts the exchange (span current while the
 * request headers are written, so a Netty-level HTTP span below it nests under it), shows the
 * request and response bytes to it before passing each message on unchanged, and ends it at the
 * response's last content, on a failure, or when the app closes the channel. All state is touched
 * on the channel's event loop only.
 */
final class LlmNettyHandler extends ChannelDuplexHandler implements HeaderReader {
  private static final String CLOSED = "java.nio.channels.ClosedChannelException";

  /** The open call on this channel, from its request until its response ends; else null. */
  private LlmExchange exchange;

  /** The request's body is still being written (HttpContent / ByteBuf until LastHttpContent). */
  private boolean requestBodyOpen;

  /** A 1xx response was read: its empty last content does not end the call. */
  private boolean informational;

  /** Headers of the request being detected (this handler is the detector's HeaderReader). */
  private HttpHeaders detecting;

  // per connection: the last Host header parsed and the last URL built from it (keep-alive
  // connections repeat both, so repeated non-LLM requests allocate nothing here)
  private String scheme;
  private String lastHostHeader;
  private String host;
  private int rawPort = -1;
  private String lastUri;
  private ServerUrl lastUrl;

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpRequest) {
      onRequest(ctx, (HttpRequest) msg);
      LlmExchange current = exchange;
      if (current != null && requestBodyOpen) {
        ByteBufTee.show(current, msg, false);
        if (msg instanceof LastHttpContent) {
          requestBodyOpen = false;
        }
        Scope scope = current.makeCurrent();
        try {
          ctx.write(msg, promise);
        } finally {
          scope.close();
        }
        return;
      }
    } else if (requestBodyOpen) {
      LlmExchange current = exchange;
      if (current != null) {
        ByteBufTee.show(current, msg, false);
      }
      if (msg instanceof LastHttpContent) {
        requestBodyOpen = false;
      }
    }
    ctx.write(msg, promise);
  }

  private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
    try {
      LlmExchange previous = exchange;
      if (previous != null) {
        // a new request on this channel: the previous response is over for the app
        exchange = null;
        previous.end();
      }
      requestBodyOpen = false;
      informational = false;
      ServerUrl url = serverUrl(ctx, request);
      if (url == null) {
        return;
      }
      LlmExchange started;
      detecting = request.headers();
      try {
        if (LlmTelemetry.get().detect(url, this) == null) {
          return; // the common case: not an LLM call, nothing allocated for it
        }
        Context upstreamParent = upstreamParentContext(ctx.channel());
        if (LlmExchange.isMarkedAsHttpClientCall(upstreamParent)) {
          // Reactor Netty, subscribed under our mark (see reactornetty.ReactorNettyCalls): upstream
          // started no HTTP span, ours is the call's only one and propagates itself
          started =
              LlmExchange.startMarkedAsHttpClientSpan(
                  upstreamParent, url, request.method().name(), this);
          if (started != null) {
            started.propagateAsHttpClientSpan(request.headers(), HeadersSetter.INSTANCE);
            if (connection(ctx.channel()) != ctx.channel()) {
              started.networkProtocolVersion(2, 0); // a stream channel: HTTP/2 as HttpObjects
            } else {
              HttpVersion version = request.protocolVersion();
              started.networkProtocolVersion(version.majorVersion(), version.minorVersion());
            }
          }
        } else {
          Scope parent = CallerContext.of(request.headers()).makeCurrent();
          try {
            started = LlmExchange.start(url, this);
          } finally {
            parent.close();
          }
        }
      } finally {
        detecting = null;
      }
      if (started != null) {
        exchange = started;
        requestBodyOpen = started.claimRequestTee();
      }
    } catch (Throwable ignored) {
      // unobserved, never disturbed
    }
  }

  /**
   * The parent context upstream's Netty instrumentation keeps on the channel for the request being
   * written (Reactor Netty's instrumentation sets it when it prepares each request, to the context
   * it captured at subscription when it starts no span). Read only for LLM calls.
   */
  private static Context upstreamParentContext(Channel channel) {
    try {
      return channel.hasAttr(UPSTREAM_CLIENT_PARENT_CONTEXT)
          ? channel.attr(UPSTREAM_CLIENT_PARENT_CONTEXT).get()
          : null;
    } catch (Throwable t) {
      return null;
    }
  }

  // upstream's NettyClientTelemetry.setParentContext key (AttributeKeys, relocated in the agent;
  // Netty keys are global by name). Built from parts so no relocation can rewrite the name.
  private static final AttributeKey<Context> UPSTREAM_CLIENT_PARENT_CONTEXT =
      AttributeKey.valueOf(
          String.join(".", "io", "opentelemetry", "javaagent", "shaded", "instrumentation", "netty")
              + ".v4_1.internal.AttributeKeys#client-parent-context");

  enum HeadersSetter implements TextMapSetter<HttpHeaders> {
    INSTANCE;

    @Override
    public void set(HttpHeaders carrier, String key, String value) {
      if (carrier != null) {
        carrier.set(key, value);
      }
    }
  }

  /** For tests: a call is open on this channel. */
  boolean hasOpenCall() {
    return exchange != null;
  }

  /** HeaderReader for the detector: the request being written. */
  @Override
  public String get(String lowerCaseName) {
    HttpHeaders headers = detecting;
    return headers == null ? null : headers.get(lowerCaseName);
  }

  private ServerUrl serverUrl(ChannelHandlerContext ctx, HttpRequest request) {
    String uri = request.uri();
    if (uri == null) {
      return null;
    }
    int authorityEnd = absoluteFormPathStart(uri);
    if (authorityEnd < 0 && !LlmExchange.mayBeLlmCall(uri)) {
      return null; // most traffic ("/path?query" form): decided from the string, nothing built
    }
    String hostHeader = request.headers().get(HttpHeaderNames.HOST);
    if (hostHeader == null || !hostHeader.equals(lastHostHeader)) {
      if (!parseHost(ctx, hostHeader)) {
        return null;
      }
      lastHostHeader = hostHeader;
      lastUri = null;
    }
    if (uri.equals(lastUri)) {
      return lastUrl;
    }
    if (scheme == null) {
      scheme = isTls(ctx.channel()) ? "https" : "http";
    }
    String path = uri;
    if (authorityEnd >= 0) {
      path = uri.substring(authorityEnd);
      if (!LlmExchange.mayBeLlmCall(path)) {
        return null;
      }
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    ServerUrl url =
        new ServerUrl(
            scheme, host, rawPort, path, new RequestUrl(scheme, hostHeader, host, rawPort, uri));
    lastUri = uri;
    lastUrl = url;
    return url;
  }

  /** "http://host/path" (proxy form): the index of the path; -1 for the usual "/path". */
  private static int absoluteFormPathStart(String uri) {
    if (uri.isEmpty() || uri.charAt(0) == '/') {
      return -1;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return -1;
    }
    int slash = uri.indexOf('/', scheme + 3);
    return slash < 0 ? uri.length() : slash;
  }

  private boolean parseHost(ChannelHandlerContext ctx, String hostHeader) {
    if (hostHeader != null && !hostHeader.isEmpty()) {
      int colon = hostHeader.lastIndexOf(':');
      int bracket = hostHeader.lastIndexOf(']');
      if (colon > 0 && colon > bracket) {
        host = unbracket(hostHeader.substring(0, colon));
        rawPort = parsePort(hostHeader, colon + 1);
      } else {
        host = unbracket(hostHeader);
        rawPort = -1;
      }
      return true;
    }
    SocketAddress remote = connection(ctx.channel()).remoteAddress();
    if (remote instanceof InetSocketAddress) {
      InetSocketAddress address = (InetSocketAddress) remote;
      host = address.getHostString();
      rawPort = address.getPort();
      return host != null;
    }
    return false;
  }

  /** "[::1]" -> "::1"; other hosts as they are. */
  static String unbracket(String host) {
    return host.length() > 1 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']'
        ? host.substring(1, host.length() - 1)
        : host;
  }

  /** The port in {@code s} from {@code from} to its end; -1 when not a valid port. */
  static int parsePort(String s, int from) {
    int port = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9' || port > 65535) {
        return -1;
      }
      port = port * 10 + (c - '0');
    }
    return from < s.length() && port <= 65535 ? port : -1;
  }

  /** An HTTP/2 stream channel's connection is its parent. */
  private static Channel connection(Channel channel) {
    Channel parent = channel.parent();
    return parent != null ? parent : channel;
  }

  private static boolean isTls(Channel channel) {
    try {
      return connection(channel).pipeline().get(SslHandler.class) != null;
    } catch (Throwable t) {
      return false;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    LlmExchange current = exchange;
    if (current == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    boolean last = false;
    Throwable failure = null;
    try {
      if (msg instanceof HttpResponse) {
        HttpResponse response = (HttpResponse) msg;
        int code = response.status().code();
        informational = code >= 100 && code < 200 && code != 101;
        if (!informational) {
          HttpHeaders headers = response.headers();
          current.responseHeaders(code, headers::get);
        }
      }
      if (msg instanceof HttpContent && !informational) {
        ByteBufTee.show(current, msg, true);
      }
      if (msg instanceof LastHttpContent) {
        if (informational) {
          informational = false;
        } else {
          last = true;
          DecoderResult result = ((LastHttpContent) msg).decoderResult();
          failure = result != null && result.isFailure() ? result.cause() : null;
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
    // The call ends at its last byte, before the app sees it: an app that exits as soon as its
    // stream completes must not outrun the span's end (and its token count).
    if (last && exchange == current) {
      exchange = null;
      if (failure != null) {
        current.fail(failure);
      } else {
        current.end();
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    LlmExchange current = exchange;
    if (current != null) {
      exchange = null;
      requestBodyOpen = false;
      current.fail(cause);
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    LlmExchange current = exchange;
    if (current != null) {
      exchange = null;
      requestBodyOpen = false;
      current.fail(CLOSED);
    }
    ctx.fireChannelInactive();
  }

  /** The app (or its client library) closing the channel mid-response is a cancel: a normal end. */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    LlmExchange current = exchange;
    if (current != null) {
      exchange = null;
      requestBodyOpen = false;
      current.end();
    }
    ctx.close(promise);
  }

  /** url.full, built only for LLM calls (and then redacted by ServerUrl). */
  static final class RequestUrl {
    private final String scheme;
    private final String hostHeader;
    private final String host;
    private final int port;
    private final String uri;

    RequestUrl(String scheme, String hostHeader, String host, int port, String uri) {
      this.scheme = scheme;
      this.hostHeader = hostHeader;
      this.host = host;
      this.port = port;
      this.uri = uri;
    }

    @Override
    public String toString() {
      if (absoluteFormPathStart(uri) >= 0) {
        return uri;
      }
      StringBuilder sb = new StringBuilder(scheme).append("://");
      if (hostHeader != null) {
        sb.append(hostHeader);
      } else {
        sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        if (port > 0) {
          sb.append(':').append(port);
        }
      }
      return sb.append(uri).toString();
    }
  }
}
