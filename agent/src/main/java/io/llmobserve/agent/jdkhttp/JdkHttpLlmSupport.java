package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.ServerUrl;
import io.llmobserve.providers.HeaderReader;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the HttpClient advice calls; every method is safe to call with anything. */
public final class JdkHttpLlmSupport {
  private JdkHttpLlmSupport() {}

  /** An exchange when the request is an LLM call, else null (cheap for other traffic). */
  public static LlmExchange start(HttpRequest request) {
    try {
      if (request == null) {
        return null;
      }
      URI uri = request.uri();
      if (!LlmExchange.mayBeLlmCall(uri.getRawPath())) {
        return null; // most traffic: decided from the path string, nothing allocated
      }
      ServerUrl url =
          new ServerUrl(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), uri);
      LlmExchange exchange = LlmExchange.start(url, new JdkHeaderReader(request));
      if (exchange != null) {
        // released when send returns / the async response future completes (see holdEnd)
        exchange.holdEnd();
      }
      return exchange;
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * The same request with its body publisher wrapped to tee the bytes (the original request is
   * returned when it has no body or cannot be copied).
   */
  public static HttpRequest teeRequest(HttpRequest request, LlmExchange exchange) {
    try {
      Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
      if (publisher.isEmpty() || publisher.get() instanceof TeeBodyPublisher) {
        return request;
      }
      return new TeeHttpRequest(request, new TeeBodyPublisher(publisher.get(), exchange));
    } catch (Throwable t) {
      return request;
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  public static HttpResponse.BodyHandler teeResponse(
      HttpResponse.BodyHandler handler, LlmExchange exchange) {
    if (handler == null || handler instanceof TeeBodyHandler) {
      return handler;
    }
    return new TeeBodyHandler(handler, exchange);
  }

  /** send returned or threw. */
  public static void afterSend(Throwable thrown, LlmExchange exchange) {
    if (thrown != null) {
      exchange.fail(thrown);
    }
    exchange.releaseEnd();
  }

  /**
   * sendAsync returned: the end waits for the response future (which upstream's HTTP span ends
   * with); failures of the future (connect error, cancel) end the span with an error.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static void watch(CompletableFuture future, Throwable thrown, LlmExchange exchange) {
    try {
      if (thrown != null || future == null) {
        exchange.fail(thrown);
        exchange.releaseEnd();
        return;
      }
      // a dependent stage: the app's future and its result stay untouched
      future.whenComplete(new EndWithFuture(exchange));
    } catch (Throwable t) {
      exchange.releaseEnd();
    }
  }

  static HeaderReader headerReader(HttpHeaders headers) {
    return new JdkHeaderReader(headers);
  }
}
