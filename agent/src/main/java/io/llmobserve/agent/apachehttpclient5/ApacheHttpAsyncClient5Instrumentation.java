package io.llmobserve.agent.apachehttpclient5;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.client5.http.async.HttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/**
 * The async client's core {@code execute(producer, consumer, handlerFactory, context, callback)}
 * (every other execute, SimpleHttpRequest ones included, ends up there; upstream instruments the
 * same method). Producer, consumer and callback are wrapped to tee and to end the span.
 */
public final class ApacheHttpAsyncClient5Instrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("org.apache.hc.client5.http.async.HttpAsyncClient"));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("execute")
            .and(not(isAbstract()))
            .and(takesArguments(5))
            .and(takesArgument(0, named("org.apache.hc.core5.http.nio.AsyncRequestProducer")))
            .and(takesArgument(1, named("org.apache.hc.core5.http.nio.AsyncResponseConsumer")))
            .and(takesArgument(2, named("org.apache.hc.core5.http.nio.HandlerFactory")))
            .and(takesArgument(3, named("org.apache.hc.core5.http.protocol.HttpContext")))
            .and(takesArgument(4, named("org.apache.hc.core5.concurrent.FutureCallback"))),
        ApacheHttpAsyncClient5Instrumentation.class.getName() + "$ExecuteAdvice");
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class ExecuteAdvice {
    private ExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This HttpAsyncClient client,
        @Advice.Argument(value = 0, readOnly = false) AsyncRequestProducer producer,
        @Advice.Argument(value = 1, readOnly = false) AsyncResponseConsumer consumer,
        @Advice.Argument(value = 4, readOnly = false) FutureCallback callback,
        @Advice.Local("llmCall") AsyncRequests.AsyncCall call) {
      call = AsyncRequests.start(client, producer, consumer, callback);
      if (call != null) {
        producer = call.producer;
        consumer = call.consumer;
        callback = call.callback;
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Thrown Throwable thrown, @Advice.Local("llmCall") AsyncRequests.AsyncCall call) {
      AsyncRequests.afterExecute(call, thrown);
    }
  }
}
