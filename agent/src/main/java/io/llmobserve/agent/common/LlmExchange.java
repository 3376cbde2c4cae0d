package io.llmobserve.agent.common;

import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmCall;
import io.llmobserve.providers.LlmEndpoint;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One observed LLM call, independent of the HTTP client: owns the CLIENT span and the {@link
 * LlmCall} that reads the bytes. Client wrappers feed it and call {@link #end()} or {@link
 * #fail} when the body is done; the span ends exactly once. No method throws.
 *
 * <p>The span is made current while the request is sent, so the upstream agent's HTTP client
 * span becomes its child; it ends with the last body byte, not with the headers.
 */
public final class LlmExchange {
  private static final ContextKey<LlmExchange> KEY = ContextKey.named("llm-observe-exchange");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

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
  private final AtomicBoolean requestTeeClaimed = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile int statusCode = -1;
  // abandonment (see AbandonWatch): last activity (request, headers, body), the watched body
  private volatile long lastActivityNanos;
  private volatile AbandonWatch.BodyRef watchedBody;
  // the library's state is fed by the app's thread and read by whoever ends the span (possibly
  // the abandon watch): the two never overlap
  private final Object callLock = new Object();
  // end deferral (see holdEnd), guarded by this
  private boolean endHeld;
  private boolean endPending;
  private String pendingErrorType;

  private LlmExchange(
      LlmTelemetry telemetry, LlmCall call, Span span, Context parent, ServerUrl url, long start) {
    this.telemetry = telemetry;
    this.call = call;
    this.span = span;
    this.context = parent.with(span).with(KEY, this);
    this.parentContext = parent;
    this.url = url;
    this.startNanos = start;
    this.lastActivityNanos = start;
  }

  /**
   * Starts observing when the request is an LLM call; null otherwise (the common, cheap path),
   * when an LLM span is already current (a client layered on another), or on any failure.
   */
  public static LlmExchange start(ServerUrl url, HeaderReader requestHeaders) {
    try {
      return start(LlmTelemetry.get(), url, requestHeaders);
    } catch (Throwable t) {
      return null;
    }
  }

  /** Same, with explicit telemetry (tests, benchmarks). */
  public static LlmExchange start(LlmTelemetry telemetry, ServerUrl url, HeaderReader requestHeaders) {
    try {
      LlmEndpoint endpoint = telemetry.detect(url, requestHeaders);
      if (endpoint == null) {
        return null;
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
      long start = System.nanoTime();
      LlmCall call = new LlmCall(endpoint, start, telemetry.captureContent);
      call.setUsageEstimation(UsageEstimation.enabled());
      Span span =
          telemetry
              .tracer
              .spanBuilder(endpoint.operation == null ? "llm" : endpoint.operation)
              .setSpanKind(SpanKind.CLIENT)
              .setParent(parent)
              .setAttribute("gen_ai.provider.name", endpoint.provider)
              .setAttribute("gen_ai.operation.name", endpoint.operation)
              .setAttribute("server.address", url.host)
              .setAttribute("server.port", (long) url.port)
              .setAttribute(URL_FULL, url.redactedUrl())
              .startSpan();
      LlmExchange exchange = new LlmExchange(telemetry, call, span, parent, url, start);
      // from now on, a call with no activity for the abandon timeout ends (see AbandonWatch)
      telemetry.abandonWatch.watchIdle(exchange);
      return exchange;
    } catch (Throwable t) {
      return null;
    }
  }

  public Context context() {
    return context;
  }

  /** Makes the LLM span current (for the upstream HTTP span to nest under it). */
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

  /**
   * True for the first request-body write only: clients may write a body more than once
   * (retries, redirects, logging interceptors) but the library must see it once.
   */
  public boolean claimRequestTee() {
    return requestTeeClaimed.compareAndSet(false, true);
  }

  public void requestBody(ByteBuffer buffer) {
    lastActivityNanos = System.nanoTime();
    try {
      synchronized (callLock) {
        if (!ended.get()) {
          call.requestBody(buffer);
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  public void requestBody(byte[] bytes, int offset, int length) {
    lastActivityNanos = System.nanoTime();
    try {
      synchronized (callLock) {
        if (!ended.get()) {
          call.requestBody(bytes, offset, length);
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  public void responseHeaders(int statusCode, HeaderReader headers) {
    this.statusCode = statusCode;
    lastActivityNanos = System.nanoTime();
    try {
      synchronized (callLock) {
        if (!ended.get()) {
          call.responseHeaders(statusCode, headers);
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  public void responseBody(ByteBuffer buffer) {
    lastActivityNanos = System.nanoTime();
    try {
      synchronized (callLock) {
        if (!ended.get()) {
          call.responseBody(buffer);
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  public void responseBody(byte[] bytes, int offset, int length) {
    lastActivityNanos = System.nanoTime();
    try {
      synchronized (callLock) {
        if (!ended.get()) {
          call.responseBody(bytes, offset, length);
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  public boolean isEnded() {
    return ended.get();
  }

  /**
   * The object the app holds to read the body (OkHttp's ResponseBody; not the JDK client's body,
   * which that client keeps reachable until it ends): when it becomes unreachable before the
   * end, the span ends with {@code error.type=abandoned}. Only the exchange is kept, never the
   * body. Never throws.
   */
  public void watchBody(Object appVisibleBody) {
    try {
      watchedBody = telemetry.abandonWatch.watchBody(appVisibleBody, this);
      if (ended.get()) {
        telemetry.abandonWatch.forget(this, watchedBody);
      }
    } catch (Throwable ignored) {
      // unwatched: the idle deadline still applies
    }
  }

  long lastActivityNanos() {
    return lastActivityNanos;
  }

  /**
   * Defers the end until {@link #releaseEnd()}: a client API call that returns only after the
   * body was read (JDK {@code send} with ofString) ends its own HTTP span on return; ending ours
   * then too keeps the parent covering its child.
   */
  public synchronized void holdEnd() {
    endHeld = true;
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
      if (errorType == null) {
        end();
      } else {
        fail(errorType);
      }
    }
  }

  /** True when the end was recorded for later. */
  private synchronized boolean deferred(String errorType) {
    if (!endHeld) {
      return false;
    }
    if (!endPending) {
      endPending = true;
      pendingErrorType = errorType;
    }
    return true;
  }

  /** The body ended (EOF), or the app closed or cancelled it: a normal end. */
  public void end() {
    if (ended.get() || deferred(null)) {
      return;
    }
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    finish(null);
  }

  /** The exchange failed before the body ended. */
  public void fail(Throwable error) {
    fail(error == null ? "java.lang.Throwable" : error.getClass().getName());
  }

  /**
   * The app walked away (see {@link AbandonWatch}): ends now even while the end is held, since
   * whatever holds it (a {@code send} that never returns, a response future nobody completes)
   * may never release it.
   */
  void abandon(String errorType) {
    if (ended.compareAndSet(false, true)) {
      finish(errorType);
    }
  }

  public void fail(String errorType) {
    if (errorType == null) {
      errorType = "java.lang.Throwable";
    }
    if (ended.get() || deferred(errorType)) {
      return;
    }
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    finish(errorType);
  }

  private void finish(String callerErrorType) {
    long endNanos = System.nanoTime();
    try {
      telemetry.abandonWatch.forget(this, watchedBody);
    } catch (Throwable ignored) {
      // the watch drops ended exchanges itself
    }
    String errorType;
    synchronized (callLock) {
      errorType = writeOutcome(callerErrorType);
      UsageEstimation.estimate(call, span); // tokens the response did not report (bounded)
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
        span.setAttribute("http.response.status_code", (long) status);
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
