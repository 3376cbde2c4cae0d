package io.llmobserve.agent.jdkhttp;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.llmobserve.agent.common.LlmExchange;
import io.opentelemetry.context.Scope;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Advice on {@code jdk.internal.net.http.HttpClientFacade}, the object {@code
 * HttpClient.newHttpClient()} / {@code newBuilder().build()} hands out. The upstream agent
 * instruments {@code HttpClientImpl} (and excludes the facade), which the facade calls: so our span
 * is started and made current first, and upstream, finding it in the context as the HTTP client
 * span, starts none (LlmExchange#startAsHttpClientSpan); its {@code headers()} advice still injects
 * the current context, so the server receives our span's traceparent.
 */
public final class HttpClientFacadeInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.HttpClientFacade");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("send")
            .and(isPublic())
            .and(takesArgument(0, named("java.net.http.HttpRequest")))
            .and(takesArgument(1, named("java.net.http.HttpResponse$BodyHandler"))),
        HttpClientFacadeInstrumentation.class.getName() + "$SendAdvice");
    transformer.applyAdviceToMethod(
        named("sendAsync")
            .and(isPublic())
            .and(takesArgument(0, named("java.net.http.HttpRequest")))
            .and(takesArgument(1, named("java.net.http.HttpResponse$BodyHandler"))),
        HttpClientFacadeInstrumentation.class.getName() + "$SendAsyncAdvice");
  }

  @SuppressWarnings({"unused", "rawtypes", "unchecked"})
  public static final class SendAdvice {
    private SendAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(value = 0, readOnly = false) HttpRequest request,
        @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler handler,
        @Advice.Local("llmExchange") LlmExchange exchange,
        @Advice.Local("llmScope") Scope scope) {
      exchange = JdkHttpLlmSupport.start(request);
      if (exchange != null) {
        request = JdkHttpLlmSupport.teeRequest(request, exchange);
        handler = JdkHttpLlmSupport.teeResponse(handler, exchange);
        scope = exchange.makeCurrent();
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmExchange") LlmExchange exchange,
        @Advice.Local("llmScope") Scope scope) {
      if (scope != null) {
        scope.close();
      }
      if (exchange != null) {
        JdkHttpLlmSupport.afterSend(thrown, exchange);
      }
    }
  }

  @SuppressWarnings({"unused", "rawtypes", "unchecked"})
  public static final class SendAsyncAdvice {
    private SendAsyncAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(value = 0, readOnly = false) HttpRequest request,
        @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler handler,
        @Advice.Local("llmExchange") LlmExchange exchange,
        @Advice.Local("llmScope") Scope scope) {
      exchange = JdkHttpLlmSupport.start(request);
      if (exchange != null) {
        request = JdkHttpLlmSupport.teeRequest(request, exchange);
        handler = JdkHttpLlmSupport.teeResponse(handler, exchange);
        scope = exchange.makeCurrent();
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Return(readOnly = false) CompletableFuture future,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmExchange") LlmExchange exchange,
        @Advice.Local("llmScope") Scope scope) {
      if (scope != null) {
        scope.close();
      }
      if (exchange != null) {
        future = JdkHttpLlmSupport.watch(future, thrown, exchange);
      }
    }
  }
}
