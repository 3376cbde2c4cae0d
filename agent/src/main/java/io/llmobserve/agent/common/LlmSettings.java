package io.llmobserve.agent.common;

import java.util.Locale;

/**
 * The extension's configuration, read from system properties then environment variables.
 *
 * <p>Helpers live in the application's class loaders and cannot see the agent's
 * ConfigProperties, so {@code io.llmobserve.agent.extension.LlmAgentCustomizer} copies values
 * that came from other agent config sources (e.g. {@code otel.javaagent.configuration-file})
 * into system properties at startup; this class then sees every source.
 */
public final class LlmSettings {
  /** Comma-separated {@code baseUrl=providerName} pairs for OpenAI-compatible endpoints. */
  public static final String ENDPOINTS = "otel.instrumentation.llm.endpoints";

  /** Opt-in recording of prompt and completion text (bounded and redacted by the library). */
  public static final String CAPTURE_CONTENT = "otel.instrumentation.genai.capture-message-content";

  private LlmSettings() {}

  public static String endpoints() {
    return get(ENDPOINTS);
  }

  public static boolean captureContent() {
    return Boolean.parseBoolean(trimToEmpty(get(CAPTURE_CONTENT)));
  }

  /** System property, else the environment variable named as OpenTelemetry maps it. */
  public static String get(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      value = System.getenv(envName(property));
    }
    return value;
  }

  /** {@code otel.instrumentation.llm.endpoints -> OTEL_INSTRUMENTATION_LLM_ENDPOINTS}. */
  public static String envName(String property) {
    return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static String trimToEmpty(String s) {
    return s == null ? "" : s.trim();
  }
}
