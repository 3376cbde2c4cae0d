package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.common.LlmExchange;
import io.llmobserve.agent.common.ServerUrl;
import io.llmobserve.providers.HeaderReader;
import java.net.URI;
import java.net.http.HttpClient;
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
      // the facade runs before upstream's HttpClientImpl advice, and upstream injects traceparent
      // from the current context in HttpRequest.headers(): ours replaces its HTTP span
      LlmExchange exchange =
          LlmExchange.startAsHttpClientSpan(url, request.method(), new JdkHeaderReader(request));
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

  /**
   * The app's subscriber when {@code subscriber} is our tee, else {@code subscriber}: what the
   * client's "may getBody() block" question is about (TrustedSubscriberInstrumentation).
   */
  @SuppressWarnings("rawtypes")
  public static HttpResponse.BodySubscriber appSubscriber(HttpResponse.BodySubscriber subscriber) {
    return subscriber instanceof TeeBodySubscriber
        ? ((TeeBodySubscriber) subscriber).appSubscriber()
        : subscriber;
  }

  /** send returned or threw. */
  public static void afterSend(Throwable thrown, LlmExchange exchange) {
    if (thrown != null) {
      exchange.fail(thrown);
    }
    exchange.releaseEnd();
  }

  /**
   * sendAsync returned: the end waits for the response future; failures of the future (connect
   * error, cancel) end the span with an error. Returns the future the app gets: the client's own,
   * or, when our span replaced upstream's HTTP span, one that completes in the app's context (what
   * upstream's instrumentation did).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static CompletableFuture watch(
      CompletableFuture future, Throwable thrown, LlmExchange exchange) {
    try {
      if (thrown != null || future == null) {
        exchange.fail(thrown);
        exchange.releaseEnd();
        return future;
      }
      AppContextFuture<Object> appFuture =
          exchange.replacesHttpClientSpan() ? new AppContextFuture<>(future) : null;
      // a dependent stage: the client's future and its result stay untouched
      future.whenComplete(new EndWithFuture(exchange, appFuture));
      return appFuture != null ? appFuture : future;
    } catch (Throwable t) {
      exchange.releaseEnd();
      return future;
    }
  }

  /** network.protocol.version as upstream's JDK instrumentation writes it. */
  static String protocolVersion(HttpClient.Version version) {
    if (version == HttpClient.Version.HTTP_1_1) {
      return "1.1";
    }
    return version == HttpClient.Version.HTTP_2 ? "2" : null;
  }

  /** A response's headers for the library (public for the agent's CallCostBenchmark). */
  public static HeaderReader headerReader(HttpHeaders headers) {
    return new JdkHeaderReader(headers);
  }
}
