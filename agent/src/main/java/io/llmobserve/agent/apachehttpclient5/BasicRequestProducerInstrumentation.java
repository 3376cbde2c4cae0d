package io.llmobserve.agent.apachehttpclient5;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.HttpRequest;

/**
 * {@code BasicRequestProducer(HttpRequest, AsyncEntityProducer)}: every other constructor, and
 * SimpleRequestProducer's, lead here. Notes LLM requests for the async execute (see AsyncRequests).
 */
public final class BasicRequestProducerInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http.nio.support.BasicRequestProducer");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        isConstructor()
            .and(takesArguments(2))
            .and(takesArgument(0, named("org.apache.hc.core5.http.HttpRequest")))
            .and(takesArgument(1, named("org.apache.hc.core5.http.nio.AsyncEntityProducer"))),
        BasicRequestProducerInstrumentation.class.getName() + "$ConstructorAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ConstructorAdvice {
    private ConstructorAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.This Object producer, @Advice.Argument(0) HttpRequest request) {
      AsyncRequests.producerCreated(producer, request);
    }
  }
}
