package io.llmobserve.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
