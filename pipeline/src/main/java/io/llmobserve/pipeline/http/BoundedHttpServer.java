package io.llmobserve.pipeline.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A small Jetty 12 server whose cost is bounded whatever the clients do (see {@link HttpLimits}):
 * bodies are read asynchronously (a slow client holds a connection, never a thread) within a
 * deadline, a minimum rate and a global byte budget; complete requests run on a fixed worker pool
 * with a short queue; when that is full the answer is 503 with Retry-After at once instead of a
 * stall. A declared Content-Length above the route's limit is answered 413 before any byte of the
 * body is read. Routes are registered by path with {@link Builder#route}.
 *
 * <p>Every answer is counted by route and outcome ({@link #counts()}), exported as {@code
 * llm_pipeline_http_requests_total{server,route,outcome}}.
 */
public final class BoundedHttpServer implements AutoCloseable {
  /** A complete request as a route sees it; {@code query} is the raw query string or null. */
  public record Call(
      String method, String contentType, String contentEncoding, String query, byte[] body) {}

  /**
   * The answer; {@code outcome} is the counter's label (accepted, malformed, too_many_spans, ...).
   */
  public record Reply(
      int status, String contentType, byte[] body, String outcome, Map<String, String> headers) {
    public static Reply of(int status, String contentType, byte[] body, String outcome) {
      return new Reply(status, contentType, body, outcome, Map.of());
    }

    public static Reply text(int status, String message, String outcome) {
      return of(
          status,
          "text/plain; charset=utf-8",
          (message + "\n").getBytes(StandardCharsets.UTF_8),
          outcome);
    }
  }

  /** Handles complete requests of one path; runs on the worker pool and may block briefly. */
  @FunctionalInterface
  public interface Route {
    Reply handle(Call call) throws Exception;
  }

  private record RouteSpec(Set<String> methods, int maxBodyBytes, Route route) {}

  /** Outcomes the server itself decides, before a route runs. */
  public static final String TOO_LARGE = "too_large";

  public static final String OVERLOADED = "overloaded";
  public static final String TIMEOUT = "timeout";
  public static final String BAD_REQUEST = "bad_request";
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  public static final String ERROR = "error";

  private final String name;
  private final Server server;
  private final ServerConnector connector;
  private final ThreadPoolExecutor workers;
  private final Semaphore inflight;
  private final HttpLimits limits;
  private final Map<String, RouteSpec> routes;
  private final Map<List<String>, LongAdder> counts = new ConcurrentHashMap<>();

  private BoundedHttpServer(Builder b) throws Exception {
    this.name = b.name;
    this.limits = b.limits;
    this.routes = Map.copyOf(b.routes);
    this.inflight = new Semaphore((int) Math.min(Integer.MAX_VALUE, limits.inflightBytes()));
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            limits.workers(),
            limits.workers(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(4, limits.workers() * 4)),
            r -> {
              Thread t = new Thread(r, name + "-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());

    // Jetty's own threads only do I/O and hand-offs (reads are asynchronous): a small pool.
    QueuedThreadPool io = new QueuedThreadPool(8 + limits.workers(), 2);
    io.setName(name + "-io");
    io.setDaemon(true);
    io.setReservedThreads(0);
    server = new Server(io);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(16 * 1024);
    http.setMinRequestDataRate(limits.minDataRate());
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    connector.setAcceptQueueSize(256);
    connector.addEventListener(new HeaderDeadline(limits.headerTimeout().toMillis()));
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    server.addConnector(connector);
    server.setHandler(new Dispatch());
    server.start();
  }

  public static Builder builder(String name, HttpLimits limits) {
    return new Builder(name, limits);
  }

  /** Registers routes; {@link #start()} binds. */
  public static final class Builder {
    private final String name;
    private final HttpLimits limits;
    private final Map<String, RouteSpec> routes = new ConcurrentHashMap<>();
    private String host = "0.0.0.0";
    private int port;

    private Builder(String name, HttpLimits limits) {
      this.name = name;
      this.limits = limits;
    }

    public Builder bind(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /** One path, the methods it accepts and the largest body it reads (0 = none). */
    public Builder route(String path, Set<String> methods, int maxBodyBytes, Route route) {
      routes.put(path, new RouteSpec(Set.copyOf(methods), maxBodyBytes, route));
      return this;
    }

    public BoundedHttpServer start() throws Exception {
      return new BoundedHttpServer(this);
    }
  }

  public int port() {
    return connector.getLocalPort();
  }

  public String name() {
    return name;
  }

  /** Answers so far by [route, outcome]. */
  public Map<List<String>, Long> counts() {
    Map<List<String>, Long> m = new TreeMap<>(Comparator.comparing(Object::toString));
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  public long count(String route, String outcome) {
    LongAdder a = counts.get(List.of(route, outcome));
    return a == null ? 0 : a.sum();
  }

  private void increment(String route, String outcome) {
    counts.computeIfAbsent(List.of(route, outcome), k -> new LongAdder()).increment();
  }

  /** Closes a connection that has not delivered a first request within the header deadline. */
  private final class HeaderDeadline implements Connection.Listener {
    private final long millis;

    HeaderDeadline(long millis) {
      this.millis = millis;
    }

    @Override
    public void onOpened(Connection connection) {
      connector
          .getScheduler()
          .schedule(
              () -> {
                if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                  increment("*", "header_timeout");
                  connection.getEndPoint().close();
                }
              },
              millis,
              TimeUnit.MILLISECONDS);
    }
  }

  private final class Dispatch extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      RouteSpec spec = routes.get(path);
      if (spec == null) {
        write(
            response,
            callback,
            "*",
            Reply.text(404, "not found; routes: " + new TreeSet<>(routes.keySet()), "not_found"));
        return true;
      }
      if (!spec.methods.contains(request.getMethod())) {
        write(
            response,
            callback,
            path,
            Reply.text(405, "method not allowed; use " + spec.methods, METHOD_NOT_ALLOWED));
        return true;
      }
      long declared = request.getLength();
      if (declared > spec.maxBodyBytes) {
        // Answer from the header: the body is never read, and the connection is not reused.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        write(
            response,
            callback,
            path,
            Reply.text(
                413, "body of " + declared + " bytes exceeds " + spec.maxBodyBytes, TOO_LARGE));
        return true;
      }
      int reserve = declared >= 0 ? (int) declared : spec.maxBodyBytes;
      if (!inflight.tryAcquire(reserve)) {
        write(response, callback, path, overloaded("request bodies in flight exceed the budget"));
        return true;
      }
      Scheduler.Task deadline =
          connector
              .getScheduler()
              .schedule(
                  () ->
                      request.fail(
                          new TimeoutException(
                              "request body not complete within " + limits.bodyTimeout())),
                  limits.bodyTimeout().toMillis(),
                  TimeUnit.MILLISECONDS);
      Content.Source.asByteArrayAsync(request, spec.maxBodyBytes)
          .whenComplete(
              (body, failure) -> {
                deadline.cancel();
                if (failure != null) {
                  inflight.release(reserve);
                  Throwable cause =
                      failure instanceof CompletionException && failure.getCause() != null
                          ? failure.getCause()
                          : failure;
                  response.getHeaders().put(HttpHeader.CONNECTION, "close");
                  if (cause instanceof TimeoutException
                      || cause.getClass().getSimpleName().contains("Timeout")
                      || String.valueOf(cause.getMessage()).contains("data rate")) {
                    write(
                        response,
                        callback,
                        path,
                        Reply.text(408, "request body too slow: " + cause.getMessage(), TIMEOUT));
                  } else if (cause instanceof IllegalArgumentException
                      || String.valueOf(cause.getMessage())
                          .toLowerCase(Locale.ROOT)
                          .contains("too large")) {
                    write(
                        response,
                        callback,
                        path,
                        Reply.text(413, "body exceeds " + spec.maxBodyBytes + " bytes", TOO_LARGE));
                  } else {
                    write(
                        response,
                        callback,
                        path,
                        Reply.text(400, "cannot read body: " + cause, BAD_REQUEST));
                  }
                  return;
                }
                try {
                  workers.execute(
                      () -> {
                        try {
                          Reply r =
                              spec.route.handle(
                                  new Call(
                                      request.getMethod(),
                                      request.getHeaders().get(HttpHeader.CONTENT_TYPE),
                                      request.getHeaders().get(HttpHeader.CONTENT_ENCODING),
                                      request.getHttpURI().getQuery(),
                                      body));
                          write(response, callback, path, r);
                        } catch (Throwable t) {
                          write(
                              response,
                              callback,
                              path,
                              Reply.text(500, "internal error: " + t, ERROR));
                        } finally {
                          inflight.release(reserve);
                        }
                      });
                } catch (RejectedExecutionException e) {
                  inflight.release(reserve);
                  write(response, callback, path, overloaded("all workers busy"));
                }
              });
      return true;
    }
  }

  /**
   * 503 with Retry-After: OTLP exporters and Prometheus retry; nobody waits on a stalled socket.
   */
  public static Reply overloaded(String why) {
    return new Reply(
        503,
        "text/plain; charset=utf-8",
        ("overloaded: " + why + ", retry\n").getBytes(StandardCharsets.UTF_8),
        OVERLOADED,
        Map.of("Retry-After", "1"));
  }

  private void write(Response response, Callback callback, String route, Reply r) {
    increment(route, r.outcome());
    try {
      response.setStatus(r.status());
      r.headers().forEach((k, v) -> response.getHeaders().put(k, v));
      if (r.contentType() != null) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, r.contentType());
      }
      response.write(true, ByteBuffer.wrap(r.body()), callback);
    } catch (Throwable t) {
      callback.failed(t);
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception ignored) {
      // closing anyway
    }
    workers.shutdownNow();
  }
}
