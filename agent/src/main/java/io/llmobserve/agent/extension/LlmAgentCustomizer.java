package io.llmobserve.agent.extension;

import io.llmobserve.agent.common.LlmSettings;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Agent-side setup: defaults that keep one CLIENT span per LLM call, the config bridge for the
 * helpers, the exporter wrapper that demotes other libraries' gen_ai CLIENT spans, and the one that
 * masks captured credential headers on every span.
 */
public final class LlmAgentCustomizer implements AutoConfigurationCustomizerProvider {
  private static final Logger logger = Logger.getLogger(LlmAgentCustomizer.class.getName());

  static final String SENSITIVE_QUERY_PARAMETERS =
      "otel.instrumentation.sanitization.url.experimental.sensitive-query-parameters";

  /**
   * Upstream HTTP spans redact only AWSAccessKeyId, Signature, sig and X-Goog-Signature in
   * url.full; LLM APIs also take keys in the query (Gemini's key=, Azure's api-key=). The property
   * replaces upstream's list, so upstream's names are kept; a user setting wins.
   */
  static final String[] SENSITIVE_QUERY_PARAMETER_NAMES = {
    "AWSAccessKeyId",
    "Signature",
    "sig",
    "X-Goog-Signature",
    "key",
    "api-key",
    "api_key",
    "apikey",
    "access_token",
    "token",
    "X-Amz-Signature",
    "X-Amz-Credential",
    "X-Amz-Security-Token",
    "client_secret",
    "password"
  };

  /**
   * The upstream openai-java instrumentation would add INTERNAL "chat model" spans and its own
   * gen_ai metrics for every call we already observe: off by default. Set on its last
   * instrumentation name so that any explicit user setting (openai-java, openai-java-1.1 or openai)
   * wins.
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
    customizer.addPropertiesCustomizer(LlmAgentCustomizer::withoutCredentialHeaderCapture);
    // masking outermost: whatever any wrapper below does, credential header values never leave
    customizer.addMeterProviderCustomizer((builder, config) -> dropDuplicateGenAiMetrics(builder));
    customizer.addSpanExporterCustomizer(
        (exporter, config) ->
            new CredentialHeaderMaskingExporter(new GenAiClientSpanExporter(exporter)));
  }

  /**
   * Upstream's AWS SDK instrumentation records its own gen_ai client metrics for each Bedrock call,
   * which the agent's HTTP-level hooks already record (with the whole contract): dropped, so that a
   * Bedrock call is counted once. (Its span is demoted by GenAiClientSpanExporter.)
   */
  static final String AWS_SDK_METER = "io.opentelemetry.aws-sdk-2.2";

  static SdkMeterProviderBuilder dropDuplicateGenAiMetrics(SdkMeterProviderBuilder builder) {
    return builder.registerView(
        InstrumentSelector.builder().setMeterName(AWS_SDK_METER).setName("gen_ai.client.*").build(),
        View.builder().setAggregation(Aggregation.drop()).build());
  }

  /**
   * Helpers run in application class loaders and read system properties / env vars; values given
   * through other agent config sources (config file, declarative defaults) are copied to system
   * properties here, unless already set.
   */
  static Map<String, String> publishToHelpers(ConfigProperties config) {
    publish(config, LlmSettings.ENDPOINTS);
    publish(config, LlmSettings.CAPTURE_CONTENT);
    publishAbandonTimeout(config);
    publish(config, LlmSettings.ESTIMATE_TOKENS);
    if ("preload"
        .equalsIgnoreCase(String.valueOf(LlmSettings.get(LlmSettings.ESTIMATE_TOKENS)).trim())) {
      TokenCounting.loadNow(); // exact counts from the first call on, at the cost of startup time
    }
    return Collections.emptyMap();
  }

  /**
   * The abandon timeout, read with OpenTelemetry's own duration syntax ({@link
   * ConfigProperties#getDuration}: {@code 500ms}, {@code 90s}, {@code 10m}, a bare number =
   * milliseconds), is handed to the helpers as milliseconds, whatever source it came from. A value
   * that is not a duration keeps the default, with a warning naming the property and the value.
   */
  static void publishAbandonTimeout(ConfigProperties config) {
    String property = LlmSettings.ABANDON_TIMEOUT;
    try {
      Duration timeout = config.getDuration(property);
      if (timeout != null) {
        System.setProperty(property, Long.toString(timeout.toMillis()));
      }
    } catch (RuntimeException e) {
      // ConfigurationException: "Invalid duration property <name>=<value>..."
      logger.warning(
          "llm-observe: "
              + e.getMessage()
              + "; using the default "
              + LlmSettings.DEFAULT_ABANDON_TIMEOUT_MILLIS
              + " ms");
      try {
        System.clearProperty(property);
      } catch (RuntimeException ignored) {
        // a security manager: the helpers' reader falls back to the default for a bad value too
      }
    }
  }

  /** Upstream's header capture settings (client and server, request and response). */
  static final String[] HEADER_CAPTURE_PROPERTIES = {
    "otel.instrumentation.http.client.capture-request-headers",
    "otel.instrumentation.http.client.capture-response-headers",
    "otel.instrumentation.http.server.capture-request-headers",
    "otel.instrumentation.http.server.capture-response-headers",
  };

  /**
   * Credential headers named in upstream's capture settings are taken out of them, so their values
   * never enter any telemetry: not only span attributes (which {@link
   * CredentialHeaderMaskingExporter} masks anyway, whatever their source) but also the HTTP
   * metrics' exemplars, which keep the attributes the metric views drop. Other captured headers are
   * kept.
   */
  static Map<String, String> withoutCredentialHeaderCapture(ConfigProperties config) {
    Map<String, String> overrides = new HashMap<>();
    for (String property : HEADER_CAPTURE_PROPERTIES) {
      try {
        List<String> names = config.getList(property);
        List<String> kept = new ArrayList<>();
        for (String name : names) {
          if (!CredentialHeaderMaskingExporter.isCredentialHeader(name.trim())) {
            kept.add(name.trim());
          }
        }
        publishCapturedClientHeaders(property, kept);
        if (kept.size() != names.size()) {
          overrides.put(property, String.join(",", kept));
          logger.warning(
              "llm-observe: not capturing credential headers set in "
                  + property
                  + " (their values would be exported); still capturing: "
                  + kept);
        }
      } catch (RuntimeException ignored) {
        // unreadable setting: the exporter wrapper still masks
      }
    }
    return overrides;
  }

  /**
   * The client lists (credential headers already out) for the helpers, whose LLM spans replace
   * upstream's HTTP client span on some clients and capture the same headers on it.
   */
  private static void publishCapturedClientHeaders(String property, List<String> kept) {
    String helperProperty =
        property.equals(HEADER_CAPTURE_PROPERTIES[0])
            ? LlmSettings.CAPTURED_CLIENT_REQUEST_HEADERS
            : property.equals(HEADER_CAPTURE_PROPERTIES[1])
                ? LlmSettings.CAPTURED_CLIENT_RESPONSE_HEADERS
                : null;
    if (helperProperty == null) {
      return;
    }
    try {
      if (kept.isEmpty()) {
        System.clearProperty(helperProperty);
      } else {
        System.setProperty(helperProperty, String.join(",", kept));
      }
    } catch (RuntimeException ignored) {
      // a security manager: LLM spans capture no headers
    }
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
