package io.llmobserve.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agent.common.LlmSettings;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LlmAgentCustomizerTest {

  @Test
  void defaultsTurnOffUpstreamOpenAiAndRedactKeyQueryParameters() {
    Map<String, String> defaults = LlmAgentCustomizer.defaultProperties();

    assertThat(defaults).containsEntry("otel.instrumentation.openai.enabled", "false");
    assertThat(
            Arrays.asList(defaults.get(LlmAgentCustomizer.SENSITIVE_QUERY_PARAMETERS).split(",")))
        // upstream's own list must survive, since the property replaces it
        .contains("AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature")
        .contains("key", "api-key", "api_key");
  }

  /** The agent's duration syntax is OpenTelemetry's: a bare number = ms; units ms, s, m, h, d. */
  @ParameterizedTest
  @CsvSource({
    "1500, 1500",
    "0, 0",
    "-1, -1",
    "250ms, 250",
    "90s, 90000",
    "' 90s ', 90000",
    "10m, 600000",
    "2h, 7200000",
    "1d, 86400000",
  })
  void abandonTimeoutIsReadWithOpenTelemetrysDurationSyntax(String value, long millis) {
    withAbandonTimeoutProperty(
        () -> {
          LlmAgentCustomizer.publishAbandonTimeout(
              DefaultConfigProperties.createFromMap(Map.of(LlmSettings.ABANDON_TIMEOUT, value)));
          assertThat(System.getProperty(LlmSettings.ABANDON_TIMEOUT))
              .isEqualTo(Long.toString(millis));
          assertThat(LlmSettings.abandonTimeoutMillis()).isEqualTo(millis);
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"ten minutes", "5 weeks", "1.5s", "10x"})
  void badAbandonTimeoutKeepsTheDefaultAndWarnsNamingTheValue(String value) {
    List<String> warnings = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            warnings.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(LlmAgentCustomizer.class.getName());
    logger.addHandler(handler);
    try {
      withAbandonTimeoutProperty(
          () -> {
            System.setProperty(LlmSettings.ABANDON_TIMEOUT, value);
            LlmAgentCustomizer.publishAbandonTimeout(
                DefaultConfigProperties.createFromMap(Map.of(LlmSettings.ABANDON_TIMEOUT, value)));
            assertThat(LlmSettings.abandonTimeoutMillis())
                .isEqualTo(LlmSettings.DEFAULT_ABANDON_TIMEOUT_MILLIS);
          });
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains(LlmSettings.ABANDON_TIMEOUT + "=" + value, "using the default 600000 ms");
  }

  /**
   * The client header capture lists reach the helpers (whose JDK LLM spans replace upstream's HTTP
   * span and capture the same headers) without the credential headers.
   */
  @Test
  void clientHeaderCaptureListsArePublishedToHelpersWithoutCredentialHeaders() {
    try {
      LlmAgentCustomizer.withoutCredentialHeaderCapture(
          DefaultConfigProperties.createFromMap(
              Map.of(
                  "otel.instrumentation.http.client.capture-request-headers",
                  "Authorization,x-trace",
                  "otel.instrumentation.http.client.capture-response-headers",
                  "set-cookie,x-request-id",
                  "otel.instrumentation.http.server.capture-request-headers",
                  "x-server-only")));
      assertThat(System.getProperty(LlmSettings.CAPTURED_CLIENT_REQUEST_HEADERS))
          .isEqualTo("x-trace");
      assertThat(System.getProperty(LlmSettings.CAPTURED_CLIENT_RESPONSE_HEADERS))
          .isEqualTo("x-request-id");
    } finally {
      System.clearProperty(LlmSettings.CAPTURED_CLIENT_REQUEST_HEADERS);
      System.clearProperty(LlmSettings.CAPTURED_CLIENT_RESPONSE_HEADERS);
    }
  }

  @Test
  void unsetAbandonTimeoutIsLeftToTheDefault() {
    withAbandonTimeoutProperty(
        () -> {
          LlmAgentCustomizer.publishAbandonTimeout(DefaultConfigProperties.createFromMap(Map.of()));
          assertThat(System.getProperty(LlmSettings.ABANDON_TIMEOUT)).isNull();
          assertThat(LlmSettings.abandonTimeoutMillis())
              .isEqualTo(LlmSettings.DEFAULT_ABANDON_TIMEOUT_MILLIS);
        });
  }

  private static void withAbandonTimeoutProperty(Runnable test) {
    String old = System.getProperty(LlmSettings.ABANDON_TIMEOUT);
    System.clearProperty(LlmSettings.ABANDON_TIMEOUT);
    try {
      test.run();
    } finally {
      if (old == null) {
        System.clearProperty(LlmSettings.ABANDON_TIMEOUT);
      } else {
        System.setProperty(LlmSettings.ABANDON_TIMEOUT, old);
      }
    }
  }
}
