package io.llmobserve.agent.apachehttpclient4;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.llmobserve.agent.extension.HelperClassIndex;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * LLM calls made with Apache HttpClient 4.x (the AWS SDK's default sync apache-client, Spring's
 * older HttpComponents factory, raw use). Disable with {@code
 * otel.instrumentation.llm-apache-httpclient-4.enabled=false} (or {@code llm} for all). Ordered
 * before upstream's apache-httpclient-4 modules (see the HttpClient 5 module).
 */
public final class ApacheHttpClient4InstrumentationModule extends InstrumentationModule {
  public ApacheHttpClient4InstrumentationModule() {
    super("llm-apache-httpclient-4", "llm");
  }

  @Override
  public int order() {
    return -1;
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed(
        "org.apache.http.client.HttpClient", "org.apache.http.entity.HttpEntityWrapper");
  }

  @Override
  public boolean isHelperClass(String className) {
    return HelperClassIndex.isHelperClassName(className);
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    return HelperClassIndex.helperClassNames(ApacheHttpClient4InstrumentationModule.class);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new ApacheHttpClient4Instrumentation());
  }
}
