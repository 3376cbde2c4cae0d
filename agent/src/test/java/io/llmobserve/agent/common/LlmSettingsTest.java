package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LlmSettingsTest {
  @Test
  void environmentVariableNamesFollowOpenTelemetryMapping() {
    assertThat(LlmSettings.envName(LlmSettings.ENDPOINTS)).isEqualTo("OTEL_INSTRUMENTATION_LLM_ENDPOINTS");
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
}
