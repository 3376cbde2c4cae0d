package io.llmobserve.agent.httpurlconnection;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.extendsClass;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The JDK's HttpURLConnection implementations (the same classes and methods upstream instruments;
 * for HTTPS the delegate behind {@code HttpsURLConnectionImpl}). Ordered before upstream's module,
 * so our span is current when upstream's HTTP span starts.
 */
public final class HttpUrlConnectionInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return nameStartsWith("java.net.")
        .or(nameStartsWith("sun.net"))
        .and(not(named("sun.net.www.protocol.https.HttpsURLConnectionImpl")))
        .and(extendsClass(named("java.net.HttpURLConnection")));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String p = HttpUrlConnectionInstrumentation.class.getName();
    transformer.applyAdviceToMethod(
        isPublic().and(named("connect")).and(takesArguments(0)), p + "$ConnectAdvice");
    transformer.applyAdviceToMethod(
        isPublic().and(namedOneOf("getOutputStream", "getInputStream")).and(takesArguments(0)),
        p + "$StreamAdvice");
    transformer.applyAdviceToMethod(
        isPublic().and(named("getResponseCode")).and(takesArguments(0)), p + "$ResponseCodeAdvice");
    transformer.applyAdviceToMethod(
        isPublic().and(named("disconnect")).and(takesArguments(0)), p + "$DisconnectAdvice");
    transformer.applyAdviceToMethod(
        isPublic().and(named("getErrorStream")).and(takesArguments(0)), p + "$ErrorStreamAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ErrorStreamAdvice {
    private ErrorStreamAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.This HttpURLConnection connection,
        @Advice.Return(readOnly = false) InputStream returned) {
      returned = HttpUrlConnectionSupport.errorStream(connection, returned);
    }
  }

  @SuppressWarnings("unused")
  public static final class ConnectAdvice {
    private ConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This HttpURLConnection connection,
        @Advice.Local("llmCall") HttpUrlConnectionSupport.Call call) {
      call = HttpUrlConnectionSupport.enter(connection);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.This HttpURLConnection connection,
        @Advice.FieldValue("responseCode") int responseCode,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") HttpUrlConnectionSupport.Call call) {
      HttpUrlConnectionSupport.exit(connection, call, "connect", null, thrown, responseCode);
    }
  }

  @SuppressWarnings("unused")
  public static final class StreamAdvice {
    private StreamAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This HttpURLConnection connection,
        @Advice.Local("llmCall") HttpUrlConnectionSupport.Call call) {
      call = HttpUrlConnectionSupport.enter(connection);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.This HttpURLConnection connection,
        @Advice.Origin("#m") String method,
        @Advice.FieldValue("responseCode") int responseCode,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") HttpUrlConnectionSupport.Call call) {
      if (call != null) {
        returned =
            HttpUrlConnectionSupport.exit(connection, call, method, returned, thrown, responseCode);
      }
    }
  }

  @SuppressWarnings("unused")
  public static final class ResponseCodeAdvice {
    private ResponseCodeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This HttpURLConnection connection,
        @Advice.Local("llmCall") HttpUrlConnectionSupport.Call call) {
      call = HttpUrlConnectionSupport.enter(connection);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(
        @Advice.This HttpURLConnection connection,
        @Advice.Return int code,
        @Advice.Thrown Throwable thrown,
        @Advice.Local("llmCall") HttpUrlConnectionSupport.Call call) {
      HttpUrlConnectionSupport.responseCode(connection, call, code, thrown);
    }
  }

  @SuppressWarnings("unused")
  public static final class DisconnectAdvice {
    private DisconnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This HttpURLConnection connection) {
      HttpUrlConnectionSupport.disconnected(connection);
    }
  }
}
