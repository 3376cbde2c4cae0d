package io.llmobserve.agent.netty;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every Netty pipeline is a {@code DefaultChannelPipeline}, and every handler is added through one
 * of its {@code add*}/{@code replace} methods taking the handler last. When the handler that turns
 * bytes into {@code HttpObject}s for a client is added (see {@link NettyPipelines}), our handler
 * goes right above it: it sees each request and response as HTTP objects, HTTP/1.1 and HTTP/2
 * alike.
 */
public final class ChannelPipelineInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.channel.DefaultChannelPipeline");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        isMethod()
            .and(isPublic())
            .and(nameStartsWith("add").or(named("replace")))
            .and(lastParameterIsHandler()),
        ChannelPipelineInstrumentation.class.getName() + "$AddHandlerAdvice");
  }

  private static ElementMatcher<MethodDescription> lastParameterIsHandler() {
    return method -> {
      ParameterList<?> params = method.getParameters();
      return !params.isEmpty()
          && params
              .get(params.size() - 1)
              .getType()
              .asErasure()
              .getName()
              .equals("io.netty.channel.ChannelHandler");
    };
  }

  @SuppressWarnings("unused")
  public static final class AddHandlerAdvice {
    private AddHandlerAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.This ChannelPipeline pipeline, @Advice.AllArguments Object[] args) {
      NettyPipelines.handlerAdded(pipeline, (ChannelHandler) args[args.length - 1]);
    }
  }
}
