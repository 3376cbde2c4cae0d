package io.llmobserve.agent.common;

import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmCall;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.detect.Paths;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.instrumentation.api.internal.SpanKey;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One observed LLM call, independent of the HTTP client: owns the CLIENT span and the {@link
 * LlmCall} that reads the bytes. The same lifecycle for every client hook:
 *
 * <ol>
 *   <li>{@link #mayBeLlmCall} on the raw path (no allocation; false for most traffic), then {@link
 *       #start} (null: not an LLM call, or already observed by an outer client), or {@link
 *       #startAsHttpClientSpan} where our span is the call's only client span;
 *   <li>optionally {@link #holdEnd()} when the client API returns only after the body was read;
 *   <li>{@link #makeCurrent()} around the client's send (the upstream HTTP span nests under ours);
 *   <li>tees feed {@link #requestBody} (first write only: {@link #claimRequestTee()}), {@link
 *       #responseHeaders}, {@link #responseBody};
 *   <li>{@link #end()} at EOF/close/cancel, {@link #fail} on an error; {@link #releaseEnd()} when
 *       the held API call returns. The span ends exactly once, whichever comes first; the {@link
 *       AbandonWatch} ends calls the app walked away from.
 * </ol>
 *
 * <p>No method throws. One lock (the exchange) guards the library's state and the end.
 */
public final class LlmExchange {
  private static final ContextKey<LlmExchange> KEY = ContextKey.named("llm-observe-exchange");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey("gen_ai.provider.name");
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");
  // long keys that reuse the last boxed value (see SpanAttributeSink.LongKey)
  private static final SpanAttributeSink.LongKey SERVER_PORT =
      SpanAttributeSink.longKey("server.port");
  private static final SpanAttributeSink.LongKey STATUS_CODE =
      SpanAttributeSink.longKey("http.response.status_code");
  private static final String THROWABLE = "java.lang.Throwable";

  private final LlmTelemetry telemetry;
  private final LlmCall call;
  private final Span span;
  private final Context context;

  /** The context the call was made from: calls made later from its callbacks start there. */
  private final Context parentContext;

  /** True only while the client's send is running under this exchange's context. */
  private volatile boolean inClientCall;

  private final ServerUrl url;
  private final long startNanos;

  /**
   * Non-null when this span replaces upstream's HTTP client span (see {@link
   * #startAsHttpClientSpan}): the request method, for the span and the HTTP metric.
   */
  private final String httpMethod;

  private volatile String protocolVersion; // network.protocol.version, when the client says

  @SuppressWarnings("UnusedVariable") // read and written through REQUEST_TEE_CLAIMED
  private volatile int requestTeeClaimed; // 0/1, see claimRequestTee (no AtomicBoolean per call)

  private static final AtomicIntegerFieldUpdater<LlmExchange> REQUEST_TEE_CLAIMED =
      AtomicIntegerFieldUpdater.newUpdater(LlmExchange.class, "requestTeeClaimed");
  private volatile InFlightCalls.Entry inFlight; // gen_ai.client.operation.active (InFlightCalls)
  private volatile int statusCode = -1;
  // abandonment (see AbandonWatch): last activity (request, headers, body), the watched body
  private volatile long lastActivityNanos;
  private volatile AbandonWatch.BodyRef watchedBody;
  // ONE lock, the exchange itself, guards the library's call (fed by the app's threads, read by
  // whoever ends the span, possibly the abandon watch) and the end state below. Nothing done
  // under it calls into the app or blocks. `ended` is also read without it (fast checks).
  private volatile boolean ended;
  private boolean endHeld;
  private boolean endPending;
  private String pendingErrorType;

  private LlmExchange(
      LlmTelemetry telemetry,
      LlmCall call,
      Span span,
      Context parent,
      ServerUrl url,
      long start,
      String httpMethod) {
    this.telemetry = telemetry;
    this.call = call;
    this.span = span;
    Context context = parent.with(span).with(KEY, this);
    if (httpMethod != null) {
      // Upstream's instrumenters do not start an HTTP client span where one is in the context
      // (Instrumenter.shouldStart: "semconv" suppression by SpanKey.HTTP_CLIENT, "span-kind" by
      // KIND_CLIENT): ours is that span, stored under the one key the strategy reads (as upstream
      // stores its own; one context less per call). Outside the client call nothing sees it.
      context =
          (telemetry.suppressionBySpanKind ? SpanKey.KIND_CLIENT : SpanKey.HTTP_CLIENT)
              .storeInContext(context, span);
    }
    this.context = context;
    this.httpMethod = httpMethod;
    this.parentContext = parent;
    this.url = url;
    this.startNanos = start;
    this.lastActivityNanos = start;
  }

  /**
   * The cheap first test every hook makes, before building a {@link ServerUrl} or a header reader:
   * false when no provider could read an operation from this raw path (most traffic). No
   * allocation.
   */
  public static boolean mayBeLlmCall(String rawPath) {
    return Paths.mayBeOperation(rawPath);
  }

  /**
   * Same, from the first and last decoded path segments (clients that keep segments, e.g. OkHttp).
   */
  public static boolean mayBeLlmCall(String firstSegment, String lastSegment) {
    return Paths.mayBeOperation(firstSegment, lastSegment);
  }

  /**
   * Starts observing when the request is an LLM call; null otherwise (the common, cheap path), when
   * an LLM span is already current (a client layered on another), or on any failure.
   */
  public static LlmExchange start(ServerUrl url, HeaderReader requestHeaders) {
    try {
      return start(LlmTelemetry.get(), url, null, requestHeaders);
    } catch (Throwable t) {
      return null;
    }
  }

  /** Same, with explicit telemetry (tests, benchmarks). */
  public static LlmExchange start(
      LlmTelemetry telemetry, ServerUrl url, HeaderReader requestHeaders) {
    return start(telemetry, url, null, requestHeaders);
  }

  /**
   * Same as {@link #start(ServerUrl, HeaderReader)}, for a hook that runs before upstream's HTTP
   * client instrumentation starts its span (our context is current when it does): our span is then
   * the call's only client span. Upstream's HTTP span is suppressed by upstream's own mechanism
   * (the span in the context under its HTTP client span key), ours carries the HTTP semconv
   * attributes it would have ({@code http.request.method}, {@code network.protocol.version}, ...)
   * and the call records {@code http.client.request.duration}. Only where upstream propagates the
   * current context itself whether or not it starts a span (the JDK client injects {@code
   * traceparent} in {@code HttpRequest.headers()}): the server then sees our span. With upstream's
   * suppression turned off ({@code span-suppression-strategy=none}) it is {@link #start}.
   */
  public static LlmExchange startAsHttpClientSpan(
      ServerUrl url, String method, HeaderReader requestHeaders) {
    return startAsHttpClientSpan(url, null, method, requestHeaders);
  }

  /**
   * Same, for a call whose endpoint was detected earlier from the same request (the HC5 async
   * client's request is detected when its producer is built, the span starts at execute): the
   * detection is not run a second time. Null: detect here.
   */
  public static LlmExchange startAsHttpClientSpan(
      ServerUrl url, LlmEndpoint detected, String method, HeaderReader requestHeaders) {
    try {
      LlmTelemetry telemetry = LlmTelemetry.get();
      return start(
          telemetry,
          url,
          detected,
          telemetry.replacesHttpClientSpan && method != null ? method : null,
          requestHeaders);
    } catch (Throwable t) {
      return null;
    }
  }

  /** Same, with explicit telemetry (tests, benchmarks). */
  public static LlmExchange startAsHttpClientSpan(
      LlmTelemetry telemetry, ServerUrl url, String method, HeaderReader requestHeaders) {
    return start(telemetry, url, method, requestHeaders);
  }

  private static LlmExchange start(
      LlmTelemetry telemetry, ServerUrl url, String httpMethod, HeaderReader requestHeaders) {
    return start(telemetry, url, null, httpMethod, requestHeaders);
  }

  /** {@code detected}: the endpoint if the caller detected it already, else null (detect here). */
  private static LlmExchange start(
      LlmTelemetry telemetry,
      ServerUrl url,
      LlmEndpoint detected,
      String httpMethod,
      HeaderReader requestHeaders) {
    try {
      LlmEndpoint endpoint = detected;
      if (endpoint == null) {
        if (!Paths.mayBeOperation(url.path)) {
          return null;
        }
        endpoint = telemetry.detect(url, requestHeaders);
        if (endpoint == null) {
          return null;
        }
      }
      Context parent = Context.current();
      LlmExchange current = parent.get(KEY);
      if (current != null) {
        if (current.inClientCall) {
          return null; // a client layered on another: the outer one observes this call
        }
        // A callback of an earlier call (e.g. sendAsync(..).thenCompose(..)) still carries its
        // context: this is a new call, a sibling of that one.
        parent = current.parentContext;
      }
      if (httpMethod != null
          && (telemetry.suppressionBySpanKind ? SpanKey.KIND_CLIENT : SpanKey.HTTP_CLIENT)
                  .fromContextOrNull(parent)
              != null) {
        // an HTTP client span is around already (e.g. the AWS SDK's, which upstream makes one):
        // upstream would start none here, so ours replaces none (no HTTP attributes, metric or
        // propagation of its own)
        httpMethod = null;
      }
      long start = System.nanoTime();
      LlmCall call = new LlmCall(endpoint, start, telemetry.captureContent);
      call.setUsageEstimation(UsageEstimation.enabled());
      SpanBuilder builder =
          telemetry
              .tracer
              .spanBuilder(endpoint.operation == null ? "llm" : endpoint.operation)
              .setSpanKind(SpanKind.CLIENT)
              .setParent(parent)
              .setAttribute(PROVIDER, endpoint.provider)
              .setAttribute(OPERATION, endpoint.operation)
              .setAttribute(SERVER_ADDRESS, url.host)
              .setAttribute(SERVER_PORT.key, SERVER_PORT.boxed(url.port))
              .setAttribute(URL_FULL, url.redactedUrl());
      if (httpMethod != null) {
        builder.setAttribute(HttpClientCallMetrics.METHOD, httpMethod);
        telemetry.capturedHeaders.request(builder, requestHeaders);
      }
      Span span = builder.startSpan();
      LlmExchange exchange = new LlmExchange(telemetry, call, span, parent, url, start, httpMethod);
      exchange.inFlight = telemetry.inFlight.register(call, url.host, url.port, start);
      // from now on, a call with no activity for the abandon timeout ends (see AbandonWatch)
      telemetry.abandonWatch.watchIdle(exchange);
      return exchange;
    } catch (Throwable t) {
      return null;
    }
  }

  /** The app's context, under a mark made by {@link #markAsHttpClientCall}. */
  private static final ContextKey<CallMark> MARKED_CALLER = ContextKey.named("llm-observe-caller");

  /** A marked call: the app's context, and whether its request got as far as our span. */
  private static final class CallMark {
    final Context app;
    volatile boolean started;

    CallMark(Context app) {
      this.app = app;
    }
  }

  /**
   * For clients whose upstream instrumentation captures its parent context when the call is
   * subscribed, before the request exists (Reactor Netty: {@code Context.current()} at
   * subscription, read again by its {@code shouldStart} when the request is prepared): the context
   * to make current while it captures, so that it starts no HTTP client span. It holds a
   * placeholder under the one span key upstream's suppression strategy reads (no span is started
   * here: ours starts when the request is written, {@link #startMarkedAsHttpClientSpan}) and the
   * app's context. Null when ours would not replace upstream's span: suppression off, or an HTTP
   * client span is around already.
   */
  public static Context markAsHttpClientCall(Context app) {
    try {
      LlmTelemetry telemetry = LlmTelemetry.get();
      if (!telemetry.replacesHttpClientSpan) {
        return null;
      }
      SpanKey key = telemetry.suppressionBySpanKind ? SpanKey.KIND_CLIENT : SpanKey.HTTP_CLIENT;
      if (key.fromContextOrNull(app) != null || app.get(MARKED_CALLER) != null) {
        return null;
      }
      return key.storeInContext(app.with(MARKED_CALLER, new CallMark(app)), Span.getInvalid());
    } catch (Throwable t) {
      return null;
    }
  }

  /** Whether {@code context} (what upstream's instrumentation captured) carries our mark. */
  public static boolean isMarkedAsHttpClientCall(Context context) {
    return context != null && context.get(MARKED_CALLER) != null;
  }

  /**
   * Starts the call marked by {@link #markAsHttpClientCall} (the mark found in {@code marked}, the
   * context upstream's instrumentation captured) as the call's only HTTP client span, parented by
   * the app's context. Null when not an LLM call, not marked, or on any failure.
   */
  public static LlmExchange startMarkedAsHttpClientSpan(
      Context marked, ServerUrl url, String method, HeaderReader requestHeaders) {
    try {
      CallMark mark = marked == null ? null : marked.get(MARKED_CALLER);
      if (mark == null) {
        return null;
      }
      mark.started = true;
      Scope scope = mark.app.makeCurrent();
      try {
        return startAsHttpClientSpan(url, method, requestHeaders);
      } finally {
        scope.close();
      }
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * A marked call failed before its request was written (connection refused, TLS, pool): the mark
   * kept upstream's span away, so ours records the failure, as upstream's span would have. Nothing
   * when the request got as far as our span (that span records the failure) or is no LLM call.
   */
  public static void failMarkedBeforeRequest(
      Context marked, ServerUrl url, String method, HeaderReader requestHeaders, Throwable error) {
    try {
      CallMark mark = marked == null ? null : marked.get(MARKED_CALLER);
      if (mark == null || mark.started) {
        return;
      }
      mark.started = true;
      LlmExchange failed;
      Scope scope = mark.app.makeCurrent();
      try {
        failed = startAsHttpClientSpan(url, method, requestHeaders);
      } finally {
        scope.close();
      }
      if (failed != null) {
        failed.fail(error);
      }
    } catch (Throwable t) {
      // never hurt the app: the failure reaches it whatever happens here
    }
  }

  public Context context() {
    return context;
  }

  /** The context the call was made from (the app's). */
  public Context parentContext() {
    return parentContext;
  }

  /**
   * Whether our span is the call's HTTP client span (upstream's suppressed): the hook then does
   * what upstream's instrumentation did besides its span (the JDK's async response future).
   */
  public boolean replacesHttpClientSpan() {
    return httpMethod != null;
  }

  /**
   * For clients whose upstream instrumentation writes {@code traceparent} only when it starts its
   * own span (Apache HttpClient): when ours replaced that span, writes the propagation headers
   * upstream would have written, so the server sees our span. Nothing when an HTTP client span was
   * around already (upstream would have started none and written nothing: e.g. under the AWS SDK's
   * span, whose requests are signed) or when ours did not replace upstream's.
   */
  public <C> void propagateAsHttpClientSpan(C carrier, TextMapSetter<C> setter) {
    if (httpMethod == null) {
      return;
    }
    try {
      telemetry.propagators.getTextMapPropagator().inject(context, carrier, setter);
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  /** Makes the LLM span current (for the upstream HTTP span to nest under it). */
  // the caller owns the scope: the advice's exit (or the tee's end) closes it
  @SuppressWarnings("MustBeClosedChecker")
  public Scope makeCurrent() {
    inClientCall = true;
    return new ClientCallScope(context.makeCurrent(), this);
  }

  /** Closes the client's scope and marks the end of the client call (see {@link #start}). */
  static final class ClientCallScope implements Scope {
    private final Scope delegate;
    private final LlmExchange exchange;

    ClientCallScope(Scope delegate, LlmExchange exchange) {
      this.delegate = delegate;
      this.exchange = exchange;
    }

    @Override
    public void close() {
      exchange.inClientCall = false;
      delegate.close();
    }
  }

  public boolean claimRequestTee() {
    return REQUEST_TEE_CLAIMED.compareAndSet(this, 0, 1);
  }

  // --- feeding: the client's tees show bytes and headers as they pass; nothing is retained ---

  public void requestBody(ByteBuffer buffer) {
    feed(false, buffer, null, 0, 0);
  }

  public void requestBody(byte[] bytes, int offset, int length) {
    feed(false, null, bytes, offset, length);
  }

  public void responseBody(ByteBuffer buffer) {
    feed(true, buffer, null, 0, 0);
  }

  public void responseBody(byte[] bytes, int offset, int length) {
    feed(true, null, bytes, offset, length);
  }

  public void responseHeaders(int statusCode, HeaderReader headers) {
    this.statusCode = statusCode;
    lastActivityNanos = System.nanoTime();
    try {
      if (httpMethod != null) {
        telemetry.capturedHeaders.response(span, headers);
      }
      synchronized (this) {
        if (!ended) {
          call.responseHeaders(statusCode, headers);
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  /**
   * {@code network.protocol.version} of the response ("1.1", "2"), for a span that replaces
   * upstream's HTTP span; ignored otherwise.
   */
  public void networkProtocolVersion(String version) {
    if (httpMethod != null) {
      protocolVersion = version;
    }
  }

  /**
   * Same, from a client's major/minor version numbers: the usual versions are constants, so no
   * string is built per call ("1.1", "1.0"; "2", "3" for HTTP/2 and HTTP/3 as upstream writes
   * them).
   */
  public void networkProtocolVersion(int major, int minor) {
    networkProtocolVersion(protocolVersion(major, minor));
  }

  /** {@code network.protocol.version} for a major/minor pair, constants for the usual ones. */
  public static String protocolVersion(int major, int minor) {
    if (major == 1 && minor == 1) {
      return "1.1";
    }
    if (major == 1 && minor == 0) {
      return "1.0";
    }
    if (minor == 0 && major >= 2) {
      return major == 2 ? "2" : major == 3 ? "3" : Integer.toString(major);
    }
    return major + "." + minor;
  }

  /** One path for every body byte: note activity, hand to the library unless ended. */
  private void feed(boolean response, ByteBuffer buffer, byte[] bytes, int offset, int length) {
    if (ended) {
      return;
    }
    lastActivityNanos = System.nanoTime();
    try {
      synchronized (this) {
        if (ended) {
          return;
        }
        if (response) {
          if (buffer != null) {
            call.responseBody(buffer);
          } else {
            call.responseBody(bytes, offset, length);
          }
        } else if (buffer != null) {
          call.requestBody(buffer);
        } else {
          call.requestBody(bytes, offset, length);
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  public boolean isEnded() {
    return ended;
  }

  /**
   * The object the app holds to read the body (OkHttp's ResponseBody; not the JDK client's body,
   * which that client keeps reachable until it ends): when it becomes unreachable before the end,
   * the span ends with {@code error.type=abandoned}. Only the exchange is kept, never the body.
   * Never throws.
   */
  public void watchBody(Object appVisibleBody) {
    try {
      watchedBody = telemetry.abandonWatch.watchBody(appVisibleBody, this);
      if (ended) {
        telemetry.abandonWatch.forget(this, watchedBody);
      }
    } catch (Throwable ignored) {
      // unwatched: the idle deadline still applies
    }
  }

  long lastActivityNanos() {
    return lastActivityNanos;
  }

  // --- the end: exactly once, whichever way comes first ---

  /**
   * Defers the end until {@link #releaseEnd()}: a client API call that returns only after the body
   * was read (JDK {@code send} with ofString) ends its own HTTP span on return; ending ours then
   * too keeps the parent covering its child.
   */
  public void holdEnd() {
    synchronized (this) {
      endHeld = true;
    }
  }

  /** Ends now if the body finished (or failed) while held. */
  public void releaseEnd() {
    boolean pending;
    String errorType;
    synchronized (this) {
      endHeld = false;
      pending = endPending;
      errorType = pendingErrorType;
      endPending = false;
    }
    if (pending) {
      finish(errorType, false);
    }
  }

  /** The body ended (EOF), or the app closed or cancelled it: a normal end. */
  public void end() {
    finish(null, false);
  }

  /** The exchange failed before the body ended. */
  public void fail(Throwable error) {
    fail(error == null ? THROWABLE : error.getClass().getName());
  }

  public void fail(String errorType) {
    finish(errorType == null ? THROWABLE : errorType, false);
  }

  /**
   * The app walked away (see {@link AbandonWatch}): ends now even while the end is held, since
   * whatever holds it (a {@code send} that never returns, a response future nobody completes) may
   * never release it.
   */
  void abandon(String errorType) {
    finish(errorType, true);
  }

  /**
   * The one end path. Under the exchange's lock (the same one the feed takes, so the library's
   * state is never read while bytes are still being fed): either record the end for later (held;
   * the first outcome wins) or mark ended and write the outcome; then, outside the lock, end the
   * span and record the metrics.
   */
  private void finish(String callerErrorType, boolean evenIfHeld) {
    if (ended) {
      return;
    }
    long endNanos = System.nanoTime();
    String errorType;
    synchronized (this) {
      if (ended) {
        return;
      }
      if (endHeld && !evenIfHeld) {
        if (!endPending) {
          endPending = true;
          pendingErrorType = callerErrorType;
        }
        return;
      }
      ended = true;
      errorType = writeOutcome(callerErrorType);
      UsageEstimation.estimate(call, span); // tokens the response did not report (bounded)
      if (httpMethod != null && protocolVersion != null) {
        span.setAttribute(HttpClientCallMetrics.PROTOCOL_VERSION, protocolVersion);
      }
    }
    InFlightCalls.unregister(inFlight);
    try {
      telemetry.abandonWatch.forget(this, watchedBody);
    } catch (Throwable ignored) {
      // the watch drops ended exchanges itself
    }
    try {
      span.end();
    } catch (Throwable ignored) {
      // nothing more to do
    }
    try {
      telemetry.metrics.record(call, errorType, url.host, url.port, (endNanos - startNanos) / 1e9);
    } catch (Throwable ignored) {
      // metrics are best effort
    }
    if (httpMethod != null) {
      recordHttpMetric(callerErrorType, startNanos, endNanos);
    }
  }

  /**
   * http.client.request.duration as upstream's HTTP span would have recorded it: error.type is the
   * status code (>= 400) or the failure, never the provider's error in a 200 body.
   */
  private void recordHttpMetric(String callerErrorType, long startNanos, long endNanos) {
    try {
      int status = statusCode;
      String httpErrorType = status >= 400 ? Integer.toString(status) : callerErrorType;
      telemetry.httpMetrics.record(
          context,
          httpMethod,
          url.host,
          url.port,
          status,
          httpErrorType,
          protocolVersion,
          startNanos,
          endNanos);
    } catch (Throwable ignored) {
      // metrics are best effort
    }
  }

  /** Closes the library's call and writes name, attributes and status; the error type to record. */
  private String writeOutcome(String callerErrorType) {
    String errorType = callerErrorType;
    try {
      if (callerErrorType == null) {
        call.responseEnd();
      } else {
        call.responseFailed(callerErrorType);
      }
    } catch (Throwable ignored) {
      // still write what is known
    }
    try {
      String name = call.spanName();
      if (name != null && !name.isEmpty()) {
        span.updateName(name);
      }
      call.writeAttributes(new SpanAttributeSink(span));
      if (call.errorType() != null) {
        errorType = call.errorType();
      }
      int status = call.statusCode() > 0 ? call.statusCode() : statusCode;
      if (status > 0) {
        STATUS_CODE.set(span, status);
      }
      if (errorType == null && status >= 400) {
        errorType = Integer.toString(status);
      }
      if (errorType != null) {
        span.setAttribute(ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR);
      }
    } catch (Throwable ignored) {
      // the span still ends
    }
    return errorType;
  }
}
