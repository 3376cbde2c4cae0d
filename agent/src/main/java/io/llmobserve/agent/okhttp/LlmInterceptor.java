package io.llmobserve.agent.okhttp;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.ServerUrl;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * First application interceptor: for LLM requests it starts the exchange, makes its span current
 * around {@code proceed}, tees the request body and hands back the response with a teeing body that
 * ends the span. Application interceptors run once per call (retries and redirects happen below),
 * for execute and enqueue. Ours is the call's only HTTP client span: upstream's tracing interceptor
 * (a network interceptor, below ours) finds it current and starts none, and since it writes {@code
 * traceparent} only with a span of its own, ours goes on the request we pass down anyway (the one
 * that carries the teeing body).
 */
public final class LlmInterceptor implements Interceptor {
  static final LlmInterceptor INSTANCE = new LlmInterceptor();

  private LlmInterceptor() {}

  /** Idempotent: removes any earlier copy (builders copied from a client) and adds one at 0. */
  public static void installFirst(OkHttpClient.Builder builder) {
    try {
      List<Interceptor> interceptors = builder.interceptors();
      if (!interceptors.isEmpty() && interceptors.get(0) == INSTANCE && count(interceptors) == 1) {
        return;
      }
      for (Iterator<Interceptor> it = interceptors.iterator(); it.hasNext(); ) {
        if (it.next() instanceof LlmInterceptor) {
          it.remove();
        }
      }
      interceptors.add(0, INSTANCE);
    } catch (Throwable ignored) {
      // an unmodifiable list or an unknown OkHttp: leave the client unobserved
    }
  }

  private static int count(List<Interceptor> interceptors) {
    int n = 0;
    for (Interceptor i : interceptors) {
      if (i instanceof LlmInterceptor) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    LlmExchange exchange = start(request);
    if (exchange == null) {
      return chain.proceed(request);
    }
    Request sent = teeRequest(request, exchange);
    Response response;
    try (Scope ignored = exchange.makeCurrent()) {
      response = chain.proceed(sent);
    } catch (IOException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    }
    return teeResponse(response, exchange);
  }

  private static LlmExchange start(Request request) {
    try {
      HttpUrl url = request.url();
      // OkHttp keeps the decoded segments; encodedPath() would build a string on every call
      List<String> segments = url.pathSegments();
      if (segments.isEmpty()
          || !LlmExchange.mayBeLlmCall(segments.get(0), segments.get(segments.size() - 1))) {
        return null;
      }
      int defaultPort = "https".equals(url.scheme()) ? 443 : 80;
      int port = url.port() == defaultPort ? -1 : url.port();
      return LlmExchange.startAsHttpClientSpan(
          new ServerUrl(url.scheme(), url.host(), port, url.encodedPath(), url),
          request.method(),
          request::header);
    } catch (Throwable t) {
      return null;
    }
  }

  private static Request teeRequest(Request request, LlmExchange exchange) {
    try {
      RequestBody body = request.body();
      boolean tee = body != null && !body.isDuplex();
      if (!tee && !exchange.replacesHttpClientSpan()) {
        return request;
      }
      Request.Builder sent = request.newBuilder();
      if (tee) {
        sent.method(request.method(), new TeeRequestBody(body, exchange));
      }
      exchange.propagateAsHttpClientSpan(sent, HeaderSetter.INSTANCE);
      return sent.build();
    } catch (Throwable t) {
      return request;
    }
  }

  /** Writes propagation headers on the request we pass down, replacing any earlier value. */
  enum HeaderSetter implements TextMapSetter<Request.Builder> {
    INSTANCE;

    @Override
    public void set(Request.Builder carrier, String key, String value) {
      if (carrier != null) {
        carrier.header(key, value);
      }
    }
  }

  /** {@code network.protocol.version} as upstream's OkHttp instrumentation writes it. */
  static String protocolVersion(Protocol protocol) {
    // compared, not switched on: a switch on another library's enum needs a synthetic class
    if (protocol == Protocol.HTTP_1_1) {
      return "1.1";
    }
    if (protocol == Protocol.HTTP_2 || protocol == Protocol.H2_PRIOR_KNOWLEDGE) {
      return "2";
    }
    if (protocol == Protocol.HTTP_1_0) {
      return "1.0";
    }
    return null;
  }

  private static Response teeResponse(Response response, LlmExchange exchange) {
    try {
      exchange.networkProtocolVersion(protocolVersion(response.protocol()));
      exchange.responseHeaders(response.code(), response::header);
      ResponseBody body = response.body();
      if (body == null) {
        exchange.end();
        return response;
      }
      TeeResponseBody tee = new TeeResponseBody(body, exchange);
      exchange.watchBody(tee); // dropped unread: the span ends as abandoned
      return response.newBuilder().body(tee).build();
    } catch (Throwable t) {
      exchange.end();
      return response;
    }
  }
}
