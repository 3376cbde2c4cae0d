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
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;

/**
 * Every {@code execute} of a classic HttpClient 5 (the same eight methods upstream instruments;
 * they may or may not delegate to each other, the outermost one observes the call). Our module is
 * ordered before upstream's, so our span is current when upstream's HTTP span starts.
 */
public final class ApacheHttpClient5Instrumentation implements TypeInstrumentation {
  private static final String REQUEST = "org.apache.hc.core5.http.ClassicHttpRequest";
  private static final String HOST = "org.apache.hc.core5.http.HttpHost";
  private static final String CONTEXT = "org.apache.hc.core5.http.protocol.HttpContext";
  private static final String HANDLER = "org.apache.hc.core5.http.io.HttpClientResponseHandler";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("org.apache.hc.client5.http.classic.HttpClient"));
  }

  private static ElementMatcher.Junction<MethodDescription> execute(String... argumentTypes) {
    ElementMatcher.Junction<MethodDescription> m =
        named("execute").and(not(isAbstract())).and(takesArguments(argumentTypes.length));
    for (int i = 0; i < argumentTypes.length; i++) {
      m = m.and(takesArgument(i, named(argumentTypes[i])));
    }
    return m;
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String p = ApacheHttpClient5Instrumentation.class.getName();
    transformer.applyAdviceToMethod(execute(REQUEST), p + "$RequestAdvice");
    transformer.applyAdviceToMethod(execute(REQUEST, CONTEXT), p + "$RequestAdvice");
    transformer.applyAdviceToMethod(execute(HOST, REQUEST), p + "$HostRequestAdvice");
    transformer.applyAdviceToMethod(execute(HOST, REQUEST, CONTEXT), p + "$HostRequestAdvice");
    transformer.applyAdviceToMethod(execute(REQUEST, HANDLER), p + "$RequestHandlerAdvice");
    transformer.applyAdviceToMethod(
        execute(REQUEST, CONTEXT, HANDLER), p + "$RequestContextHandlerAdvice");
    transformer.applyAdviceToMethod(
        execute(HOST, REQUEST, HANDLER), p + "$HostRequestHandlerAdvice");
    transformer.applyAdviceToMethod(
        execute(HOST, REQUEST, CONTEXT, HANDLER), p + "$HostRequestContextHandlerAdvice");
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class RequestAdvice {
    private RequestAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) ClassicHttpRequest request,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      call = ApacheHttpClient5Support.startClassic(null, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      ApacheHttpClient5Support.endClassic(call, returned, thrown);
    }
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class HostRequestAdvice {
    private HostRequestAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) ClassicHttpRequest request,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      call = ApacheHttpClient5Support.startClassic(target, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      ApacheHttpClient5Support.endClassic(call, returned, thrown);
    }
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class RequestHandlerAdvice {
    private RequestHandlerAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) ClassicHttpRequest request,
        @Advice.Argument(value = 1, readOnly = false) HttpClientResponseHandler handler,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      call = ApacheHttpClient5Support.startClassic(null, request);
      if (call != null) {
        handler = ApacheHttpClient5Support.wrapHandler(handler, call);
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      ApacheHttpClient5Support.endClassic(call, null, thrown);
    }
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class RequestContextHandlerAdvice {
    private RequestContextHandlerAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) ClassicHttpRequest request,
        @Advice.Argument(value = 2, readOnly = false) HttpClientResponseHandler handler,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      call = ApacheHttpClient5Support.startClassic(null, request);
      if (call != null) {
        handler = ApacheHttpClient5Support.wrapHandler(handler, call);
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      ApacheHttpClient5Support.endClassic(call, null, thrown);
    }
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class HostRequestHandlerAdvice {
    private HostRequestHandlerAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) ClassicHttpRequest request,
        @Advice.Argument(value = 2, readOnly = false) HttpClientResponseHandler handler,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      call = ApacheHttpClient5Support.startClassic(target, request);
      if (call != null) {
        handler = ApacheHttpClient5Support.wrapHandler(handler, call);
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      ApacheHttpClient5Support.endClassic(call, null, thrown);
    }
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class HostRequestContextHandlerAdvice {
    private HostRequestContextHandlerAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) ClassicHttpRequest request,
        @Advice.Argument(value = 3, readOnly = false) HttpClientResponseHandler handler,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      call = ApacheHttpClient5Support.startClassic(target, request);
      if (call != null) {
        handler = ApacheHttpClient5Support.wrapHandler(handler, call);
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient5Support.ClassicCall call) {
      ApacheHttpClient5Support.endClassic(call, null, thrown);
    }
  }
}
