package io.llmobserve.agent.jdkhttp;

import io.llmobserve.agent.extension.HelperClassIndex;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * LLM calls made with java.net.http.HttpClient. Helpers land in the platform class loader
 * (java.net.http's), hence a module of its own. Disable with {@code
 * otel.instrumentation.llm-java-http-client.enabled=false} (or {@code llm} for all).
 */
public final class JdkHttpClientInstrumentationModule extends InstrumentationModule {
  public JdkHttpClientInstrumentationModule() {
    super("llm-java-http-client", "llm");
  }

  @Override
  public boolean isHelperClass(String className) {
    return HelperClassIndex.isHelperClassName(className);
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    return HelperClassIndex.helperClassNames(JdkHttpClientInstrumentationModule.class);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new HttpClientFacadeInstrumentation(), new TrustedSubscriberInstrumentation());
  }
}
