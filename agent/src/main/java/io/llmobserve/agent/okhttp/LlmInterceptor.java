package io.llmobserve.agent.okhttp;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.ServerUrl;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * First application interceptor: for LLM requests it starts the exchange, makes its span current
 * around {@code proceed} (so upstream's HTTP span nests under it), tees the request body and hands
 * back the response with a teeing body that ends the span. Application interceptors run once per
 * call (retries and redirects happen below), for execute and enqueue.
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
      return LlmExchange.start(
          new ServerUrl(url.scheme(), url.host(), port, url.encodedPath(), url), request::header);
    } catch (Throwable t) {
      return null;
    }
  }

  private static Request teeRequest(Request request, LlmExchange exchange) {
    try {
      RequestBody body = request.body();
      if (body == null || body.isDuplex()) {
        return request;
      }
      return request
          .newBuilder()
          .method(request.method(), new TeeRequestBody(body, exchange))
          .build();
    } catch (Throwable t) {
      return request;
    }
  }

  private static Response teeResponse(Response response, LlmExchange exchange) {
    try {
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
