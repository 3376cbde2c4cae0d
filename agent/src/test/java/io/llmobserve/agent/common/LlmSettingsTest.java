package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LlmSettingsTest {
  @Test
  void environmentVariableNamesFollowOpenTelemetryMapping() {
    assertThat(LlmSettings.envName(LlmSettings.ENDPOINTS))
        .isEqualTo("OTEL_INSTRUMENTATION_LLM_ENDPOINTS");
    assertThat(LlmSettings.envName(LlmSettings.CAPTURE_CONTENT))
        .isEqualTo("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT");
  }

  @Test
  void systemPropertiesAreRead() {
    String old = System.getProperty(LlmSettings.CAPTURE_CONTENT);
    try {
      System.setProperty(LlmSettings.CAPTURE_CONTENT, " true ");
      assertThat(LlmSettings.captureContent()).isTrue();
      System.setProperty(LlmSettings.CAPTURE_CONTENT, "no");
      assertThat(LlmSettings.captureContent()).isFalse();
      System.clearProperty(LlmSettings.CAPTURE_CONTENT);
      assertThat(LlmSettings.captureContent()).isFalse();
    } finally {
      if (old != null) {
        System.setProperty(LlmSettings.CAPTURE_CONTENT, old);
      }
    }
  }

  /** Upstream's span suppression setting: only "none" keeps upstream's HTTP span under ours. */
  @Test
  void upstreamsSpanSuppressionStrategyNoneKeepsItsHttpSpan() {
    String old = System.getProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY);
    try {
      System.clearProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY);
      assertThat(LlmSettings.upstreamSuppressesNestedHttpClientSpans()).isTrue();
      System.setProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY, "semconv");
      assertThat(LlmSettings.upstreamSuppressesNestedHttpClientSpans()).isTrue();
      System.setProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY, "span-kind");
      assertThat(LlmSettings.upstreamSuppressesNestedHttpClientSpans()).isTrue();
      System.setProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY, " NONE ");
      assertThat(LlmSettings.upstreamSuppressesNestedHttpClientSpans()).isFalse();
    } finally {
      if (old != null) {
        System.setProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY, old);
      } else {
        System.clearProperty(LlmSettings.SPAN_SUPPRESSION_STRATEGY);
      }
    }
  }

  @Test
  void helpersReadTheAbandonTimeoutInMillisecondsAsTheCustomizerPublishesIt() {
    long d = LlmSettings.DEFAULT_ABANDON_TIMEOUT_MILLIS;
    assertThat(d).isEqualTo(600_000L);
    assertThat(LlmSettings.millis(null, d)).isEqualTo(d);
    assertThat(LlmSettings.millis("", d)).isEqualTo(d);
    assertThat(LlmSettings.millis("1500", d)).isEqualTo(1500);
    assertThat(LlmSettings.millis(" 90000 ", d)).isEqualTo(90_000);
    assertThat(LlmSettings.millis("0", d)).isZero();
    assertThat(LlmSettings.millis("-1", d)).isEqualTo(-1);
    // the customizer turns every valid duration into milliseconds first; anything else: default
    assertThat(LlmSettings.millis("ten minutes", d)).isEqualTo(d);
  }
}
