package io.llmobserve.pipeline.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingTableTest {
  private final PricingTable table = PricingTable.defaults();

  @Test
  void datedVersionsMatchTheirFamilyByLongestPrefix() {
    assertThat(table.lookup("openai", "gpt-4o-2024-08-06").model()).isEqualTo("gpt-4o");
    assertThat(table.lookup("openai", "gpt-4o-mini-2024-07-18").model()).isEqualTo("gpt-4o-mini");
    assertThat(table.lookup("azure.ai.openai", "gpt-4.1-mini").model()).isEqualTo("gpt-4.1-mini");
    assertThat(table.lookup("anthropic", "claude-sonnet-4-20250514").model())
        .isEqualTo("claude-sonnet-4");
    assertThat(table.lookup("aws.bedrock", "us.anthropic.claude-3-5-sonnet-20240620-v1:0").model())
        .isEqualTo("claude-3-5-sonnet");
    assertThat(table.lookup("ollama", "llama3")).isNull();
  }

  @Test
  void costCountsCachedInputAtTheCachedRate() {
    // gpt-4o: 2.50 in, 10.00 out, 1.25 cached per 1M. 1M input of which 400k cached, 100k output.
    double cost = table.cost("openai", "gpt-4o", 1_000_000, 100_000, 400_000);
    assertThat(cost).isCloseTo(0.6 * 2.5 + 0.4 * 1.25 + 0.1 * 10, offset(1e-9));
    assertThat(table.cost("x", "unknown-model", 10, 10, 0)).isNaN();
  }

  @Test
  void overridesWinAndExactProviderBeatsWildcard(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("prices.csv");
    Files.writeString(f, "# mine\nazure.ai.openai,gpt-4o,1,2,0.5\n*,llama3,0.1,0.1\n");
    PricingTable t = PricingTable.withOverrides(f);
    assertThat(t.lookup("azure.ai.openai", "gpt-4o-2024-11-20").input()).isEqualTo(1);
    assertThat(t.lookup("openai", "gpt-4o").input()).isEqualTo(2.5);
    assertThat(t.lookup("ollama", "llama3:8b").cachedInput()).isEqualTo(0.1);
  }

  @Test
  void badRowsNameTheLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "openai,gpt-4o,abc,1\n");
    assertThatThrownBy(() -> PricingTable.withOverrides(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.csv:1");
  }
}
