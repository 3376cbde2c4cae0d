package io.llmobserve.agent.netty;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.LlmTelemetry;
import io.llmobserve.agent.common.ServerUrl;
import io.llmobserve.providers.HeaderReader;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;

/**
 * Reactor Netty: makes ours the only HTTP client span of an LLM call. Upstream's reactor-netty
 * instrumentation captures {@code Context.current()} when the call's connection is subscribed and
 * decides there (its {@code shouldStart} on that context, when the request is prepared) whether to
 * start its HTTP span. The publisher a response receiver returns for an LLM call is therefore
 * subscribed with our mark current ({@link LlmExchange#markAsHttpClientCall}: a placeholder under
 * upstream's HTTP client span key, no span): upstream starts nothing, and hands the context it
 * captured to its Netty instrumentation on the request's channel, where {@link LlmNettyHandler}
 * finds the mark and starts our span as the HTTP client span (parented by the app's context,
 * propagating itself). Only the subscription runs under the mark; the call is decided from the
 * client's configuration (method, URI, headers) before anything is built for it.
 */
public final class ReactorNettyCalls {
  private ReactorNettyCalls() {}

  /**
   * Depth of nested receiver calls (upstream's advice calls the receiver again): outermost wraps.
   */
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  public static void enter() {
    DEPTH.get()[0]++;
  }

  /** The publisher to return: {@code returned}, or it subscribed under our mark for LLM calls. */
  public static Object exit(Object receiver, Object returned) {
    int[] depth = DEPTH.get();
    depth[0]--;
    try {
      if (depth[0] > 0 || returned == null || !(receiver instanceof HttpClient)) {
        return returned;
      }
      HttpClientConfig config = ((HttpClient) receiver).configuration();
      ServerUrl url = llmCallUrl(config);
      if (url == null) {
        return returned;
      }
      Call call = new Call(url, config);
      if (returned instanceof ByteBufFlux) {
        Object alloc = config.options().get(ChannelOption.ALLOCATOR);
        return ByteBufFlux.fromInbound(
            new MarkedFlux<>((Flux<?>) returned, call),
            alloc instanceof ByteBufAllocator
                ? (ByteBufAllocator) alloc
                : ByteBufAllocator.DEFAULT);
      }
      if (returned instanceof Mono) {
        return new MarkedMono<>((Mono<?>) returned, call);
      }
      if (returned instanceof Flux) {
        return new MarkedFlux<>((Flux<?>) returned, call);
      }
    } catch (Throwable ignored) {
      // unmarked: upstream's span stays, ours nests under it as before
    }
    return returned;
  }

  /** The configured request's URL if it is an LLM call (path first: most traffic stops there). */
  static ServerUrl llmCallUrl(HttpClientConfig config) {
    String uri = config.uri();
    if (uri == null) {
      return null; // deferred URI: not known before the request is prepared
    }
    if (uri.startsWith("/")) {
      if (!LlmExchange.mayBeLlmCall(uri)) {
        return null;
      }
      String base = config.baseUrl();
      if (base == null) {
        return null;
      }
      uri = base.endsWith("/") ? base.substring(0, base.length() - 1) + uri : base + uri;
    }
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd <= 0) {
      return null;
    }
    // nothing is built before the path could name an operation (its last segment, or Bedrock's
    // /model/ prefix, which a whole URL has after its authority)
    if (!LlmExchange.mayBeLlmCall(uri) && uri.indexOf("/model/", schemeEnd + 3) < 0) {
      return null;
    }
    int authorityStart = schemeEnd + 3;
    int pathStart = authorityStart;
    while (pathStart < uri.length()
        && uri.charAt(pathStart) != '/'
        && uri.charAt(pathStart) != '?'
        && uri.charAt(pathStart) != '#') {
      pathStart++;
    }
    int pathEnd = pathStart;
    while (pathEnd < uri.length() && uri.charAt(pathEnd) != '?' && uri.charAt(pathEnd) != '#') {
      pathEnd++;
    }
    String path = pathStart < pathEnd ? uri.substring(pathStart, pathEnd) : "/";
    if (!LlmExchange.mayBeLlmCall(path)) {
      return null;
    }
    String authority = uri.substring(authorityStart, pathStart);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    String host = authority;
    int port = -1;
    int colon = authority.lastIndexOf(':');
    if (colon > 0 && colon > authority.lastIndexOf(']')) {
      host = authority.substring(0, colon);
      port = LlmNettyHandler.parsePort(authority, colon + 1);
    }
    host = LlmNettyHandler.unbracket(host);
    ServerUrl url = new ServerUrl(uri.substring(0, schemeEnd), host, port, path, null);
    HttpHeaders headers = config.headers();
    HeaderReader reader = headers == null ? HeaderReader.NONE : headers::get;
    return LlmTelemetry.get().detect(url, reader) != null ? url : null;
  }

  /** What a marked call needs to record a failure before its request is written. */
  static final class Call {
    final ServerUrl url;
    final HttpClientConfig config;

    Call(ServerUrl url, HttpClientConfig config) {
      this.url = url;
      this.config = config;
    }

    void failedBeforeRequest(Context marked, Throwable error) {
      try {
        HttpHeaders headers = config.headers();
        LlmExchange.failMarkedBeforeRequest(
            marked,
            url,
            config.method() == null ? null : config.method().name(),
            headers == null ? HeaderReader.NONE : headers::get,
            error);
      } catch (Throwable ignored) {
        // the failure reaches the app whatever happens here
      }
    }
  }

  /** Subscribes {@code source} with the mark current (only the subscription itself). */
  static <T> void subscribeMarked(
      Publisher<T> source, CoreSubscriber<? super T> actual, Call call) {
    Context marked = LlmExchange.markAsHttpClientCall(Context.current());
    if (marked == null) {
      source.subscribe(actual);
      return;
    }
    try (Scope ignored = marked.makeCurrent()) {
      source.subscribe(new FailureWatch<>(actual, marked, call));
    }
  }

  /**
   * Passes every signal through unchanged; an error before the request was written (the mark kept
   * upstream's span away, ours starts only at the request) gets our span, failed.
   */
  static final class FailureWatch<T> implements CoreSubscriber<T> {
    private final CoreSubscriber<? super T> actual;
    private final Context marked;
    private final Call call;

    FailureWatch(CoreSubscriber<? super T> actual, Context marked, Call call) {
      this.actual = actual;
      this.marked = marked;
      this.call = call;
    }

    @Override
    public reactor.util.context.Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
      actual.onSubscribe(s);
    }

    @Override
    public void onNext(T t) {
      actual.onNext(t);
    }

    @Override
    public void onError(Throwable t) {
      call.failedBeforeRequest(marked, t);
      actual.onError(t);
    }

    @Override
    public void onComplete() {
      actual.onComplete();
    }
  }

  static final class MarkedMono<T> extends Mono<T> {
    private final Mono<T> source;
    private final Call call;

    MarkedMono(Mono<T> source, Call call) {
      this.source = source;
      this.call = call;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      subscribeMarked(source, actual, call);
    }
  }

  static final class MarkedFlux<T> extends Flux<T> {
    private final Flux<T> source;
    private final Call call;

    MarkedFlux(Flux<T> source, Call call) {
      this.source = source;
      this.call = call;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      subscribeMarked(source, actual, call);
    }
  }
}
