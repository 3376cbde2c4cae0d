package io.llmobserve.agent.httpurlconnection;

import io.llmobserve.agent.extension.BootLoaderHelpers;
import io.llmobserve.agent.extension.HelperClassIndex;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * LLM calls made with the JDK's {@code HttpURLConnection} / {@code HttpsURLConnection} (the AWS
 * SDK's url-connection-client, Spring's SimpleClientHttpRequestFactory, raw use). Disable with
 * {@code otel.instrumentation.llm-http-url-connection.enabled=false} (or {@code llm} for all).
 *
 * <p>The connection classes live in the boot loader: the helpers are defined there, eagerly and in
 * order, so only those the boot loader can resolve (see {@link BootLoaderHelpers}).
 */
public final class HttpUrlConnectionInstrumentationModule extends InstrumentationModule {
  public HttpUrlConnectionInstrumentationModule() {
    super("llm-http-url-connection", "llm");
  }

  @Override
  public int order() {
    return -1;
  }

  @Override
  public boolean isHelperClass(String className) {
    return HelperClassIndex.isHelperClassName(className);
  }

  @Override
  public List<String> getAdditionalHelperClassNames() {
    try {
      return BootLoaderHelpers.forBootLoader(
          HelperClassIndex.helperClassNames(HttpUrlConnectionInstrumentationModule.class),
          HttpUrlConnectionInstrumentationModule.class.getClassLoader(),
          "io.llmobserve.agent.httpurlconnection.");
    } catch (Throwable t) {
      return Collections.emptyList();
    }
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new HttpUrlConnectionInstrumentation());
  }
}
