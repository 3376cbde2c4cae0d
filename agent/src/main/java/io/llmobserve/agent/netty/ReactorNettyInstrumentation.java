package io.llmobserve.agent.netty;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;
import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Reactor Netty's response receivers ({@code response()}, {@code response(fn)}, {@code
 * responseConnection(fn)}, {@code responseContent()}, {@code responseSingle(fn)}: the methods
 * upstream's reactor-netty instrumentation wraps): for an LLM call, the returned publisher is
 * subscribed under our mark (see {@link ReactorNettyCalls}), so that upstream starts no HTTP client
 * span and ours, started by {@link LlmNettyHandler} when the request is written, is the call's only
 * one.
 */
public final class ReactorNettyInstrumentation implements TypeInstrumentation {
  private static final String RESPONSE_RECEIVER =
      "reactor.netty.http.client.HttpClient$ResponseReceiver";

  @Override
  public ElementMatcher<ClassLoader> classLoaderOptimization() {
    return hasClassesNamed(RESPONSE_RECEIVER);
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named(RESPONSE_RECEIVER));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        isPublic()
            .and(
                named("response")
                    .and(takesArguments(0).or(takesArguments(1)))
                    .or(named("responseConnection").and(takesArguments(1)))
                    .or(named("responseContent").and(takesArguments(0)))
                    .or(named("responseSingle").and(takesArguments(1)))),
        ReactorNettyInstrumentation.class.getName() + "$ReceiveAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ReceiveAdvice {
    private ReceiveAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter() {
      ReactorNettyCalls.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.This Object receiver,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      returned = ReactorNettyCalls.exit(receiver, returned);
    }
  }
}
