package io.llmobserve.agent.jdkhttp;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.net.http.HttpResponse;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Keeps the JDK client's fast path for the app's body subscriber behind our tee. The client asks
 * {@code ResponseSubscribers.TrustedSubscriber.needsExecutor(subscriber)} whether the subscriber's
 * {@code getBody()} may block: its own subscribers ({@code ofString}, {@code ofByteArray}, {@code
 * ofInputStream}...) say no, any other class yes, and then {@code getBody()} is handed to the
 * client's executor: one more thread hand-off per call (a wake-up and a park of a pool thread). Our
 * {@link TeeBodySubscriber} returns the app's {@code getBody()} unchanged, so the question is asked
 * of the app's subscriber instead. (An internal JDK interface: where it is missing or changed, the
 * advice does not apply and the call takes the hand-off, as before.)
 */
public final class TrustedSubscriberInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.ResponseSubscribers$TrustedSubscriber");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("needsExecutor").and(isStatic()).and(takesArguments(1)),
        TrustedSubscriberInstrumentation.class.getName() + "$NeedsExecutorAdvice");
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class NeedsExecutorAdvice {
    private NeedsExecutorAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(value = 0, readOnly = false) HttpResponse.BodySubscriber subscriber) {
      subscriber = JdkHttpLlmSupport.appSubscriber(subscriber);
    }
  }
}
