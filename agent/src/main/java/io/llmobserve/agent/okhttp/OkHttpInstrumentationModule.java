package io.llmobserve.agent.okhttp;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.llmobserve.agent.extension.HelperClassIndex;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * LLM calls made with OkHttp 4.x and 5.x (same package and API surface we touch): openai-java,
 * anthropic-java and most Kotlin/Java SDKs. Disable with {@code
 * otel.instrumentation.llm-okhttp.enabled=false} (or {@code llm} for all).
 */
public final class OkHttpInstrumentationModule extends InstrumentationModule {
  public OkHttpInstrumentationModule() {
    super("llm-okhttp", "llm");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    // Interceptor.Chain exists since OkHttp 3; ResponseBody.source() is what we wrap
    return hasClassesNamed("okhttp3.OkHttpClient", "okhttp3.Interceptor", "okio.ForwardingSource");
  }

  @Override
  public boolean isHelperClass(String className) {
    return HelperClassIndex.isHelperClassName(className);
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    return HelperClassIndex.helperClassNames(OkHttpInstrumentationModule.class);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new OkHttpClientInstrumentation());
  }
}
