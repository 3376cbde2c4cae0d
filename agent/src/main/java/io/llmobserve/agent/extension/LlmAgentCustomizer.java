package io.llmobserve.agent.extension;

import io.llmobserve.agent.common.LlmSettings;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Agent-side setup: defaults that keep one CLIENT span per LLM call, the config bridge for the
 * helpers, and the exporter wrapper that demotes other libraries' gen_ai CLIENT spans.
 */
public final class LlmAgentCustomizer implements AutoConfigurationCustomizerProvider {

  static final String SENSITIVE_QUERY_PARAMETERS =
      "otel.instrumentation.sanitization.url.experimental.sensitive-query-parameters";

  /**
   * Upstream HTTP spans redact only AWSAccessKeyId, Signature, sig and X-Goog-Signature in
   * url.full; LLM APIs also take keys in the query (Gemini's key=, Azure's api-key=). The
   * property replaces upstream's list, so upstream's names are kept; a user setting wins.
   */
  static final String[] SENSITIVE_QUERY_PARAMETER_NAMES = {
    "AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature",
    "key", "api-key", "api_key", "apikey", "access_token", "token", "X-Amz-Signature",
    "X-Amz-Credential", "X-Amz-Security-Token", "client_secret", "password"
  };

  /**
   * The upstream openai-java instrumentation would add INTERNAL "chat model" spans and its own
   * gen_ai metrics for every call we already observe: off by default. Set on its last
   * instrumentation name so that any explicit user setting (openai-java, openai-java-1.1 or
   * openai) wins.
   */
  static Map<String, String> defaultProperties() {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.instrumentation.openai.enabled", "false");
    defaults.put(SENSITIVE_QUERY_PARAMETERS, String.join(",", SENSITIVE_QUERY_PARAMETER_NAMES));
    return defaults;
  }

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addPropertiesSupplier(LlmAgentCustomizer::defaultProperties);
    customizer.addPropertiesCustomizer(LlmAgentCustomizer::publishToHelpers);
    customizer.addSpanExporterCustomizer((exporter, config) -> new GenAiClientSpanExporter(exporter));
  }

  /**
   * Helpers run in application class loaders and read system properties / env vars; values
   * given through other agent config sources (config file, declarative defaults) are copied to
   * system properties here, unless already set.
   */
  static Map<String, String> publishToHelpers(ConfigProperties config) {
    publish(config, LlmSettings.ENDPOINTS);
    publish(config, LlmSettings.CAPTURE_CONTENT);
    publish(config, LlmSettings.ABANDON_TIMEOUT);
    publish(config, LlmSettings.ESTIMATE_TOKENS);
    if ("preload".equalsIgnoreCase(String.valueOf(LlmSettings.get(LlmSettings.ESTIMATE_TOKENS)).trim())) {
      TokenCounting.loadNow(); // exact counts from the first call on, at the cost of startup time
    }
    return Collections.emptyMap();
  }

  private static void publish(ConfigProperties config, String property) {
    try {
      String value = config.getString(property);
      if (value != null && System.getProperty(property) == null) {
        System.setProperty(property, value);
      }
    } catch (RuntimeException ignored) {
      // a security manager or odd config: helpers fall back to env vars
    }
  }

  @Override
  public int order() {
    return 0;
  }
}
