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

  /**
   * Upstream's setting: which nested spans its instrumenters suppress ({@code semconv} by default,
   * {@code span-kind}, {@code none}).
   */
  public static final String SPAN_SUPPRESSION_STRATEGY =
      "otel.instrumentation.experimental.span-suppression-strategy";

  /**
   * False only when {@link #SPAN_SUPPRESSION_STRATEGY} is {@code none}: upstream then starts its
   * HTTP client span under ours whatever the context says.
   */
  public static boolean upstreamSuppressesNestedHttpClientSpans() {
    return !"none".equalsIgnoreCase(trimToEmpty(get(SPAN_SUPPRESSION_STRATEGY)));
  }

  /**
   * True when {@link #SPAN_SUPPRESSION_STRATEGY} is {@code span-kind}: upstream then suppresses a
   * nested client span by the CLIENT kind key, else (its default, {@code semconv}) by the HTTP
   * client span key only.
   */
  public static boolean upstreamSuppressesBySpanKind() {
    return "span-kind".equalsIgnoreCase(trimToEmpty(get(SPAN_SUPPRESSION_STRATEGY)));
  }

  /**
   * Upstream's {@code otel.instrumentation.http.client.capture-request-headers} / {@code
   * -response-headers}, credential headers taken out, as the agent publishes them for the helpers
   * ({@code LlmAgentCustomizer}): captured on a span of ours that replaces upstream's HTTP client
   * span.
   */
  public static final String CAPTURED_CLIENT_REQUEST_HEADERS =
      "otel.instrumentation.llm.internal.http-client-captured-request-headers";

  public static final String CAPTURED_CLIENT_RESPONSE_HEADERS =
      "otel.instrumentation.llm.internal.http-client-captured-response-headers";

  /** A comma-separated setting as a list (empty when unset). */
  static java.util.List<String> list(String property) {
    String value = trimToEmpty(System.getProperty(property));
    if (value.isEmpty()) {
      return java.util.Collections.emptyList();
    }
    return java.util.Arrays.asList(value.split(","));
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
