package io.llmobserve.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer stays agent-side: the relocated jtokkit and TokenCounting are never helpers (one
 * copy in the extensions class loader, vocabularies loaded once), while the helper-side
 * UsageEstimation is one; in the built extension jar (when it exists) jtokkit is relocated with its
 * vocabularies and absent from the helper index.
 */
class TokenCountingPackagingTest {
  @Test
  void tokenizerIsAgentSideAndItsCallerIsAHelper() {
    assertThat(HelperClassIndex.isHelperClassName("io.llmobserve.agent.extension.TokenCounting"))
        .isFalse();
    assertThat(
            HelperClassIndex.isHelperClassName(
                "io.llmobserve.agent.extension.internal.jtokkit.GptBytePairEncoding"))
        .isFalse();
    assertThat(HelperClassIndex.isHelperClassName("io.llmobserve.agent.common.UsageEstimation"))
        .isTrue();
    assertThat(
            HelperClassIndex.isHelperClassName(
                "io.llmobserve.agent.internal.providers.usage.UsageText"))
        .isTrue();
  }

  @Test
  void builtExtensionJarHasRelocatedTokenizerOutsideTheIndex() throws Exception {
    Path jar = Paths.get("target/extension/llm-observe-extension.jar");
    if (!Files.isRegularFile(jar)) {
      return; // unit-test phase before packaging; the smoke test runs after it
    }
    List<String> helpers = HelperClassIndex.helpersInJar(jar);
    assertThat(helpers)
        .contains(
            "io.llmobserve.agent.common.UsageEstimation",
            "io.llmobserve.agent.internal.providers.usage.UsageEstimator");
    assertThat(helpers).noneMatch(n -> n.contains("jtokkit") || n.endsWith("TokenCounting"));
    try (var zip = new ZipFile(jar.toFile())) {
      assertThat(zip.getEntry("io/llmobserve/agent/extension/internal/jtokkit/o200k_base.tiktoken"))
          .isNotNull();
      assertThat(
              zip.getEntry("io/llmobserve/agent/extension/internal/jtokkit/cl100k_base.tiktoken"))
          .isNotNull();
      assertThat(zip.getEntry("com/knuddels/jtokkit/Encodings.class")).isNull();
    }
  }
}
