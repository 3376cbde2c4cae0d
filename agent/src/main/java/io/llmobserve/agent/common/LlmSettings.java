package io.llmobserve.agent.common;

import java.util.Locale;

/**
 * The extension's configuration, read from system properties then environment variables.
 *
 * <p>Helpers live in the application's class loaders and cannot see the agent's ConfigProperties,
 * so {@code io.llmobserve.agent.extension.LlmAgentCustomizer} copies values that came from other
 * agent config sources (e.g. {@code otel.javaagent.configuration-file}) into system properties at
 * startup; this class then sees every source.
 */
public final class LlmSettings {
  /** Comma-separated {@code baseUrl=providerName} pairs for OpenAI-compatible endpoints. */
  public static final String ENDPOINTS = "otel.instrumentation.llm.endpoints";

  /** Opt-in recording of prompt and completion text (bounded and redacted by the library). */
  public static final String CAPTURE_CONTENT = "otel.instrumentation.genai.capture-message-content";

  /**
   * How long a response body may sit with no activity (no bytes arriving or read) before its span
   * is ended with {@code error.type=idle_timeout}: the backstop for bodies that are held but never
   * read nor closed. OpenTelemetry duration syntax ({@code 10m}, {@code 90s}, {@code 500ms}, a bare
   * number = milliseconds); 0 or negative disables it.
   */
  public static final String ABANDON_TIMEOUT = "otel.instrumentation.llm.abandon-timeout";

  public static final long DEFAULT_ABANDON_TIMEOUT_MILLIS = 10 * 60 * 1000L;

  /** Count tokens when a response reports no usage (DESIGN.md, Token estimates); default true. */
  public static final String ESTIMATE_TOKENS = "otel.instrumentation.llm.estimate-tokens";

  /** {@link #ESTIMATE_TOKENS}: false only when set to "false". */
  public static boolean estimateTokens() {
    return !"false".equalsIgnoreCase(trimToEmpty(get(ESTIMATE_TOKENS)));
  }

  private LlmSettings() {}

  /**
   * {@link #ABANDON_TIMEOUT} in milliseconds (the default when unset or unreadable). The agent
   * reads the setting with OpenTelemetry's duration parser at startup and publishes it here in
   * milliseconds ({@code LlmAgentCustomizer.publishAbandonTimeout}); a bare number is milliseconds
   * in that syntax too.
   */
  public static long abandonTimeoutMillis() {
    return millis(get(ABANDON_TIMEOUT), DEFAULT_ABANDON_TIMEOUT_MILLIS);
  }

  static long millis(String value, long defaultMillis) {
    try {
      return Long.parseLong(trimToEmpty(value));
    } catch (NumberFormatException e) {
      return defaultMillis;
    }
  }

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
