package io.llmobserve.agent.apachehttpclient5;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.llmobserve.agent.extension.HelperClassIndex;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * LLM calls made with Apache HttpClient 5.x, classic and async (the AWS SDK's apache5-client,
 * Spring's HttpComponentsClientHttpRequestFactory, raw use). Disable with {@code
 * otel.instrumentation.llm-apache-httpclient-5.enabled=false} (or {@code llm} for all).
 *
 * <p>Ordered before upstream's apache-httpclient-5.0 module: advice applied first runs outermost,
 * so our span is current when upstream's HTTP span starts and becomes its parent.
 */
public final class ApacheHttpClient5InstrumentationModule extends InstrumentationModule {
  public ApacheHttpClient5InstrumentationModule() {
    super("llm-apache-httpclient-5", "llm");
  }

  @Override
  public int order() {
    return -1;
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed(
        "org.apache.hc.client5.http.classic.HttpClient", "org.apache.hc.core5.http.HttpEntity");
  }

  @Override
  public boolean isHelperClass(String className) {
    return HelperClassIndex.isHelperClassName(className);
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    return HelperClassIndex.helperClassNames(ApacheHttpClient5InstrumentationModule.class);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new ApacheHttpClient5Instrumentation(),
        new ApacheHttpAsyncClient5Instrumentation(),
        new BasicRequestProducerInstrumentation());
  }
}
