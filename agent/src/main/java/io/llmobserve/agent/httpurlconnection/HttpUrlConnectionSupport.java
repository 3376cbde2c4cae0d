package io.llmobserve.agent.httpurlconnection;

import io.llmobserve.agent.common.ExchangeInputStream;
import io.llmobserve.agent.common.ExchangeOutputStream;
import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.ServerUrl;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the HttpURLConnection advice calls (helpers live in the boot loader, next to the JDK's
 * connection classes); every method is safe to call with anything. A connection's LLM call starts
 * at its first connect/getOutputStream/getInputStream/getResponseCode (before upstream's HTTP span,
 * which then nests under ours) and ends with its response body, a failure, the error body of an
 * error status (see errorStatus) or disconnect.
 */
public final class HttpUrlConnectionSupport {
  /**
   * LLM calls by connection (the JDK's delegate for HTTPS), kept after their end so that the
   * connection never starts a second one; weak, only LLM connections.
   */
  private static final Map<HttpURLConnection, Call> calls =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** Error bodies are small JSON documents; a larger one is teed as the app reads it. */
  static final int MAX_ERROR_READ_AHEAD = 64 * 1024;

  private HttpUrlConnectionSupport() {}

  /** One connection's LLM call. Guarded by itself. */
  public static final class Call {
    final LlmExchange exchange;
    private int depth;
    private Scope scope;
    private boolean headersSeen;

    /**
     * Ended: later calls on the connection (reading headers, the error stream) are not new calls.
     */
    private volatile boolean done;

    private OutputStream rawOut;
    private OutputStream teeOut;
    private InputStream rawIn;
    private InputStream teeIn;

    /** An error status was seen (its body is read or teed once). */
    private boolean errorSeen;

    /** What getErrorStream returns to the app, once the error status was seen. */
    private InputStream errorStream;

    Call(LlmExchange exchange) {
      this.exchange = exchange;
    }
  }

  static ServerUrl serverUrl(URL url) {
    return new ServerUrl(url.getProtocol(), url.getHost(), url.getPort(), url.getPath(), url);
  }

  /** A method of the connection starts: the call when it is an LLM call, else null. */
  public static Call enter(HttpURLConnection connection) {
    try {
      if (connection == null) {
        return null;
      }
      URL url = connection.getURL();
      if (url == null || !LlmExchange.mayBeLlmCall(url.getPath())) {
        return null; // most traffic: decided from the path string, nothing allocated
      }
      Call call = calls.get(connection);
      if (call == null) {
        if (connection
            .getClass()
            .getName()
            .equals("sun.net.www.protocol.https.HttpsURLConnectionImpl")) {
          return null; // a delegator: its delegate is the connection observed
        }
        // ours is the call's HTTP client span: upstream's, suppressed under it, would have set
        // traceparent as a request property at this first call; we set it instead (the
        // connection is not connected yet: this is the first method that could connect it)
        LlmExchange exchange =
            LlmExchange.startAsHttpClientSpan(
                serverUrl(url),
                connection.getRequestMethod(),
                name -> requestHeader(connection, name));
        if (exchange == null) {
          return null;
        }
        exchange.propagateAsHttpClientSpan(connection, RequestPropertySetter.INSTANCE);
        call = new Call(exchange);
        calls.put(connection, call);
      }
      if (call.done) {
        return null;
      }
      synchronized (call) {
        if (call.depth++ == 0 && !call.exchange.isEnded()) {
          call.scope = call.exchange.makeCurrent();
        }
      }
      return call;
    } catch (Throwable t) {
      return null;
    }
  }

  private static String requestHeader(HttpURLConnection connection, String name) {
    try {
      return connection.getRequestProperty(name);
    } catch (Throwable t) {
      return null; // already connected
    }
  }

  /** True when the method that returns is the one the app called (not a nested one). */
  private static boolean leave(Call call) {
    Scope scope = null;
    boolean outermost;
    synchronized (call) {
      outermost = --call.depth == 0;
      if (outermost) {
        scope = call.scope;
        call.scope = null;
      }
    }
    if (scope != null) {
      scope.close();
    }
    return outermost;
  }

  /** connect / getOutputStream / getInputStream returned or threw: the value the app gets. */
  public static Object exit(
      HttpURLConnection connection,
      Call call,
      String method,
      Object returned,
      Throwable thrown,
      int responseCode) {
    if (call == null) {
      return returned;
    }
    try {
      boolean outermost = leave(call);
      if (thrown != null) {
        if (responseCode >= 400) {
          // HttpURLConnection throws on an error status: that is the call's outcome
          errorStatus(connection, call, responseCode);
          return returned;
        }
        if (responseCode > 0 && "getInputStream".equals(method)) {
          responseHeaders(connection, call, responseCode);
          call.exchange.end();
        } else {
          call.exchange.fail(thrown);
        }
        forget(call);
        return returned;
      }
      if ("getOutputStream".equals(method) && outermost && returned instanceof OutputStream) {
        return requestStream(call, (OutputStream) returned);
      }
      if ("getInputStream".equals(method) && returned instanceof InputStream) {
        responseHeaders(connection, call, responseCode);
        // only the stream the app asked for: nested calls see the client's inner stream
        return outermost ? responseStream(call, (InputStream) returned) : returned;
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
    return returned;
  }

  /** getResponseCode returned: the status and headers are known. */
  public static void responseCode(
      HttpURLConnection connection, Call call, int code, Throwable thrown) {
    if (call == null) {
      return;
    }
    try {
      leave(call);
      if (thrown != null) {
        call.exchange.fail(thrown);
        forget(call);
      } else if (code > 0) {
        responseHeaders(connection, call, code);
        if (code >= 400 && !call.done) {
          errorStatus(connection, call, code);
        }
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  /**
   * An error status: the error body holds the provider's details (llm.error.type). The bytes that
   * have already arrived are read now without blocking (at most {@link #MAX_ERROR_READ_AHEAD}, only
   * with a Content-Length): a complete body ends the call at once, the app reading the same bytes
   * from {@code getErrorStream}. Otherwise the error stream the app reads is teed and the call ends
   * at its end (or at disconnect, or the abandon watch's deadline).
   */
  private static void errorStatus(HttpURLConnection connection, Call call, int code) {
    synchronized (call) {
      if (call.errorSeen) {
        return; // reading headers below re-enters getInputStream, which throws again
      }
      call.errorSeen = true;
    }
    responseHeaders(connection, call, code);
    InputStream raw = null;
    try {
      raw = connection.getErrorStream(); // no side effect; our advice passes it through
    } catch (Throwable ignored) {
      // no error body
    }
    if (raw == null) {
      call.exchange.end();
      forget(call);
      return;
    }
    long length = contentLength(connection);
    byte[] ahead = new byte[length > 0 && length <= MAX_ERROR_READ_AHEAD ? (int) length : 0];
    int n = 0;
    boolean eof = false;
    try {
      while (n < ahead.length) {
        int available = raw.available();
        if (available <= 0) {
          break;
        }
        int r = raw.read(ahead, n, Math.min(available, ahead.length - n));
        if (r < 0) {
          eof = true;
          break;
        }
        n += r;
      }
    } catch (Throwable ignored) {
      // the app's own read of the stream meets the failure again
    }
    if (n > 0) {
      call.exchange.responseBody(ahead, 0, n);
    }
    InputStream rest;
    if (length == 0 || (length > 0 && n == length) || eof) {
      call.exchange.end();
      rest = raw;
    } else {
      rest = new ExchangeInputStream(raw, call.exchange);
    }
    InputStream forApp =
        n == 0 ? rest : new SequenceInputStream(new ByteArrayInputStream(ahead, 0, n), rest);
    synchronized (call) {
      call.errorStream = forApp;
    }
    forget(call);
  }

  /** The response's Content-Length, -1 when absent or unreadable. */
  private static long contentLength(HttpURLConnection connection) {
    try {
      String v = connection.getHeaderField("content-length");
      return v == null ? -1 : Long.parseLong(v.trim());
    } catch (Throwable t) {
      return -1;
    }
  }

  /**
   * getErrorStream returned: for an LLM call with an error status, the stream the app reads (the
   * bytes read ahead, then the rest, teed); anything else unchanged.
   */
  public static InputStream errorStream(HttpURLConnection connection, InputStream returned) {
    try {
      if (returned == null) {
        return null;
      }
      Call call = calls.get(connection);
      if (call == null) {
        return returned;
      }
      synchronized (call) {
        return call.errorStream != null ? call.errorStream : returned;
      }
    } catch (Throwable t) {
      return returned;
    }
  }

  /** disconnect: whatever was not read will not be. */
  public static void disconnected(HttpURLConnection connection) {
    try {
      Call call = calls.get(connection);
      if (call != null) {
        call.done = true;
        call.exchange.end();
      }
    } catch (Throwable ignored) {
      // never disturb the app
    }
  }

  private static void forget(Call call) {
    call.done = true;
  }

  private static void responseHeaders(HttpURLConnection connection, Call call, int code) {
    synchronized (call) {
      if (call.headersSeen || code <= 0) {
        return;
      }
      // set first: reading headers may re-enter getInputStream
      call.headersSeen = true;
    }
    call.exchange.networkProtocolVersion(protocolVersion(connection.getHeaderField(0)));
    call.exchange.responseHeaders(
        code,
        name -> {
          try {
            return connection.getHeaderField(name);
          } catch (Throwable t) {
            return null;
          }
        });
  }

  /** {@code network.protocol.version} from the status line ("HTTP/1.1 200 OK" -> "1.1"). */
  static String protocolVersion(String statusLine) {
    if (statusLine == null || !statusLine.startsWith("HTTP/")) {
      return null;
    }
    int space = statusLine.indexOf(' ');
    int end = space < 0 ? statusLine.length() : space;
    if (end == 8 && statusLine.charAt(6) == '.' && statusLine.charAt(5) == '1') {
      char minor = statusLine.charAt(7);
      if (minor == '1' || minor == '0') {
        return minor == '1' ? "1.1" : "1.0"; // the usual status lines: no substring per call
      }
    }
    return statusLine.substring(5, end);
  }

  /** Propagation headers as request properties (what upstream's instrumentation does). */
  enum RequestPropertySetter implements TextMapSetter<HttpURLConnection> {
    INSTANCE;

    @Override
    public void set(HttpURLConnection carrier, String key, String value) {
      try {
        carrier.setRequestProperty(key, value);
      } catch (RuntimeException alreadyConnected) {
        // too late to add a header: the call goes without it, as it would have under upstream
      }
    }
  }

  private static OutputStream requestStream(Call call, OutputStream out) {
    synchronized (call) {
      if (call.rawOut == out && call.teeOut != null) {
        return call.teeOut;
      }
      if (call.rawOut != null || !call.exchange.claimRequestTee()) {
        return out;
      }
      call.rawOut = out;
      call.teeOut = new ExchangeOutputStream(out, call.exchange, false);
      return call.teeOut;
    }
  }

  private static InputStream responseStream(Call call, InputStream in) {
    synchronized (call) {
      if (call.rawIn == in && call.teeIn != null) {
        return call.teeIn;
      }
      // a client may hand out a new wrapper later (HttpInputStream around its first stream)
      call.rawIn = in;
      call.teeIn = new ExchangeInputStream(in, call.exchange);
      return call.teeIn;
    }
  }
}
