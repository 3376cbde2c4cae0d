package io.llmobserve.agent.apachehttpclient4;

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
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ResponseHandler;

/**
 * Every {@code execute} of an HttpClient 4.x (the eight methods upstream instruments; nested calls
 * are observed by the outermost one). Ordered before upstream's module, so our span is current when
 * upstream's HTTP span starts.
 */
public final class ApacheHttpClient4Instrumentation implements TypeInstrumentation {
  private static final String URI_REQUEST = "org.apache.http.client.methods.HttpUriRequest";
  private static final String REQUEST = "org.apache.http.HttpRequest";
  private static final String HOST = "org.apache.http.HttpHost";
  private static final String CONTEXT = "org.apache.http.protocol.HttpContext";
  private static final String HANDLER = "org.apache.http.client.ResponseHandler";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("org.apache.http.client.HttpClient"));
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
    String p = ApacheHttpClient4Instrumentation.class.getName();
    transformer.applyAdviceToMethod(execute(URI_REQUEST), p + "$RequestAdvice");
    transformer.applyAdviceToMethod(execute(URI_REQUEST, CONTEXT), p + "$RequestAdvice");
    transformer.applyAdviceToMethod(execute(HOST, REQUEST), p + "$HostRequestAdvice");
    transformer.applyAdviceToMethod(execute(HOST, REQUEST, CONTEXT), p + "$HostRequestAdvice");
    transformer.applyAdviceToMethod(execute(URI_REQUEST, HANDLER), p + "$RequestHandlerAdvice");
    transformer.applyAdviceToMethod(
        execute(URI_REQUEST, HANDLER, CONTEXT), p + "$RequestHandlerAdvice");
    transformer.applyAdviceToMethod(
        execute(HOST, REQUEST, HANDLER), p + "$HostRequestHandlerAdvice");
    transformer.applyAdviceToMethod(
        execute(HOST, REQUEST, HANDLER, CONTEXT), p + "$HostRequestHandlerAdvice");
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class RequestAdvice {
    private RequestAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpRequest request,
        @Advice.Local("llmCall") ApacheHttpClient4Support.Call call) {
      call = ApacheHttpClient4Support.start(null, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient4Support.Call call) {
      ApacheHttpClient4Support.end(call, returned, thrown);
    }
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class HostRequestAdvice {
    private HostRequestAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) HttpRequest request,
        @Advice.Local("llmCall") ApacheHttpClient4Support.Call call) {
      call = ApacheHttpClient4Support.start(target, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient4Support.Call call) {
      ApacheHttpClient4Support.end(call, returned, thrown);
    }
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class RequestHandlerAdvice {
    private RequestHandlerAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpRequest request,
        @Advice.Argument(value = 1, readOnly = false) ResponseHandler handler,
        @Advice.Local("llmCall") ApacheHttpClient4Support.Call call) {
      call = ApacheHttpClient4Support.start(null, request);
      if (call != null) {
        handler = ApacheHttpClient4Support.wrapHandler(handler, call);
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient4Support.Call call) {
      ApacheHttpClient4Support.end(call, null, thrown);
    }
  }

  @SuppressWarnings({"unused", "rawtypes"})
  public static final class HostRequestHandlerAdvice {
    private HostRequestHandlerAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) HttpRequest request,
        @Advice.Argument(value = 2, readOnly = false) ResponseHandler handler,
        @Advice.Local("llmCall") ApacheHttpClient4Support.Call call) {
      call = ApacheHttpClient4Support.start(target, request);
      if (call != null) {
        handler = ApacheHttpClient4Support.wrapHandler(handler, call);
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") ApacheHttpClient4Support.Call call) {
      ApacheHttpClient4Support.end(call, null, thrown);
    }
  }
}
