package io.llmobserve.providers.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecurringStringsTest {
  private static String of(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return RecurringStrings.of(b, b.length);
  }

  @Test
  void aRepeatedValueIsTheSameStringAndDifferentValuesStayDifferent() {
    String first = of("gpt-4o-mini-2024-07-18");
    assertThat(of("gpt-4o-mini-2024-07-18")).isSameAs(first);
    // far more values than slots: every answer equals its input (collisions compare, never mix)
    for (int i = 0; i < 10 * RecurringStrings.SLOTS; i++) {
      assertThat(of("model-" + i)).isEqualTo("model-" + i);
    }
    assertThat(of("gpt-4o-mini-2024-07-18")).isEqualTo("gpt-4o-mini-2024-07-18");
  }

  @Test
  void nonAsciiLongAndEmptyValuesDecodeAsUtf8() {
    assertThat(of("modèle-é")).isEqualTo("modèle-é");
    String longValue = "x".repeat(RecurringStrings.MAX_LENGTH + 1);
    assertThat(of(longValue)).isEqualTo(longValue);
    assertThat(RecurringStrings.of(new byte[0], 0)).isEmpty();
  }

  @Test
  void threadsSharingTheTableAlwaysGetTheirOwnValue() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 20_000; i++) {
                    String v = "v" + (i % 600) + "-" + thread;
                    if (!of(v).equals(v)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
