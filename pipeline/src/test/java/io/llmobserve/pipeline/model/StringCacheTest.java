package io.llmobserve.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringCacheTest {
  @Test
  void theSameBytesGiveTheSameInstanceAndEveryValueDecodesAsUtf8() {
    StringCache c = new StringCache();
    byte[] a = "xx openai yy".getBytes(StandardCharsets.UTF_8);
    byte[] b = "openai".getBytes(StandardCharsets.UTF_8);
    String first = c.decode(a, 3, 9);
    assertThat(first).isEqualTo("openai");
    assertThat(c.decode(b, 0, b.length)).isSameAs(first);
    assertThat(c.encode(first)).isEqualTo(b);
    assertThat(c.encode(first)).isSameAs(c.encode(first)); // encoded once

    byte[] utf8 = "région €".getBytes(StandardCharsets.UTF_8);
    assertThat(c.decode(utf8, 0, utf8.length)).isEqualTo("région €");
    assertThat(c.encode("région €")).isEqualTo(utf8);
    String empty = c.decode(utf8, 0, 0);
    assertThat(empty).isEmpty();

    // long values are not kept, still decoded right
    String longValue = "e".repeat(StringCache.MAX_BYTES + 1);
    byte[] l = longValue.getBytes(StandardCharsets.UTF_8);
    assertThat(c.decode(l, 0, l.length)).isEqualTo(longValue).isNotSameAs(c.decode(l, 0, l.length));
  }

  @Test
  void aFloodOfDistinctValuesStaysCorrect() {
    StringCache c = new StringCache();
    Random r = new Random(5);
    for (int i = 0; i < 100_000; i++) {
      String v = "model-" + r.nextInt(5_000);
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      assertThat(c.decode(b, 0, b.length)).isEqualTo(v);
      assertThat(c.encode(v)).isEqualTo(b);
    }
  }
}
