package io.llmobserve.providers.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.providers.json.Keys;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry holds together: one provider per name and host, every field key known. */
class ProvidersRegistryTest {

  @Test
  void everyHostAndNameBelongsToOneProvider() {
    Set<String> names = new HashSet<>();
    for (Provider p : Providers.ALL) {
      assertThat(names.add(p.name())).as("name " + p.name()).isTrue();
      assertThat(Providers.named(p.name())).isSameAs(p);
      for (String host : p.hosts()) {
        assertThat(Providers.forHost(host)).as(host).isSameAs(p);
      }
    }
    assertThat(Providers.forHost("example.com")).isNull();
    assertThat(Providers.forHost("my-res.openai.azure.com")).isSameAs(Providers.AZURE_OPENAI);
    assertThat(Providers.forHost("bedrock-runtime.eu-west-1.amazonaws.com"))
        .isSameAs(Providers.AWS_BEDROCK);
  }

  @Test
  void everyFieldKeyIsInTheKeyTable() {
    for (String name : Providers.fieldNames()) {
      assertThat(Keys.id(name)).as(name).isNotEqualTo(Keys.UNKNOWN);
      assertThat(Keys.name(Keys.id(name))).isEqualTo(name);
    }
  }
}
