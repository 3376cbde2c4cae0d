package io.llmobserve.providers.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.Test;

class RepeatedTextCacheTest {
  /** Counts words and records which texts it was asked to count. */
  static final class CountingCounter implements ToIntBiFunction<String, String> {
    final List<String> asked = new ArrayList<>();

    @Override
    public int applyAsInt(String encoding, String text) {
      asked.add(text);
      return text.split(" ").length + (encoding.equals("cl100k_base") ? 1000 : 0);
    }
  }

  static String message(int turn) {
    return ("turn " + turn + " of a conversation that the app resends every time ").repeat(8);
  }

  @Test
  void aConversationResentEveryTurnHasEachLongMessageCountedOnce() {
    CountingCounter inner = new CountingCounter();
    RepeatedTextCache cache = new RepeatedTextCache(inner);
    List<String> history = new ArrayList<>();
    for (int turn = 0; turn < 20; turn++) {
      history.add(message(turn));
      for (String m : history) {
        assertThat(cache.applyAsInt("o200k_base", m))
            .isEqualTo(new CountingCounter().applyAsInt("o200k_base", m));
      }
    }
    assertThat(inner.asked).hasSize(20).doesNotHaveDuplicates();
  }

  @Test
  void shortTextsAreCountedEveryTimeAndEncodingsAreKeptApart() {
    CountingCounter inner = new CountingCounter();
    RepeatedTextCache cache = new RepeatedTextCache(inner);
    assertThat(cache.applyAsInt("o200k_base", "hi there")).isEqualTo(2);
    assertThat(cache.applyAsInt("o200k_base", "hi there")).isEqualTo(2);
    assertThat(inner.asked).hasSize(2);

    String longText = message(1);
    int o200k = cache.applyAsInt("o200k_base", longText);
    assertThat(cache.applyAsInt("cl100k_base", longText)).isEqualTo(o200k + 1000);
    assertThat(cache.applyAsInt("o200k_base", longText)).isEqualTo(o200k);
    assertThat(inner.asked).hasSize(4);
  }

  @Test
  void textsThatShareASlotEvictEachOtherButNeverSwapCounts() {
    CountingCounter inner = new CountingCounter();
    RepeatedTextCache cache = new RepeatedTextCache(inner);
    // many more distinct texts than slots: every answer must still be the text's own count
    for (int i = 0; i < 20_000; i++) {
      String text = message(i) + " extra".repeat(i % 7);
      assertThat(cache.applyAsInt("o200k_base", text))
          .as(text)
          .isEqualTo(new CountingCounter().applyAsInt("o200k_base", text));
    }
  }
}
