package io.llmobserve.providers.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Guards the parallel arrays of {@link Keys}: every id constant names the JSON key at its index of
 * NAMES (FINISH_REASON -> "finish_reason", FINISH_REASON_CAMEL -> "finishReason"), every index has
 * exactly one constant, and the lookup table finds each key again.
 */
class KeysTableTest {

  /** Keys whose spelling the constant-name rule cannot express. */
  static final Map<String, String> SPELLED_OUT =
      Map.of("AMAZON_BEDROCK_INVOCATION_METRICS_CAMEL", "amazon-bedrock-invocationMetrics");

  static String expectedName(String constant) {
    if (SPELLED_OUT.containsKey(constant)) {
      return SPELLED_OUT.get(constant);
    }
    boolean camel = constant.endsWith("_CAMEL");
    String base = camel ? constant.substring(0, constant.length() - "_CAMEL".length()) : constant;
    String snake = base.toLowerCase(Locale.ROOT);
    if (!camel) {
      return snake;
    }
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  @Test
  void everyConstantNamesItsKeyAndEveryKeyHasOneConstant() throws IllegalAccessException {
    Set<Integer> ids = new HashSet<>();
    for (Field f : Keys.class.getDeclaredFields()) {
      int m = f.getModifiers();
      if (f.getType() != int.class
          || !Modifier.isPublic(m)
          || !Modifier.isStatic(m)
          || !Modifier.isFinal(m)
          || f.getName().equals("UNKNOWN")
          || f.getName().equals("ARRAY")) {
        continue;
      }
      int id = f.getInt(null);
      assertThat(id).as(f.getName()).isBetween(0, Keys.NAMES.length - 1);
      assertThat(Keys.NAMES[id]).as(f.getName() + " = " + id).isEqualTo(expectedName(f.getName()));
      assertThat(ids.add(id)).as("two constants for id " + id).isTrue();
    }
    assertThat(ids).as("a NAMES entry without a constant").hasSize(Keys.NAMES.length);
  }

  @Test
  void lookupFindsEveryKey() {
    for (int id = 0; id < Keys.NAMES.length; id++) {
      byte[] b = Keys.NAMES[id].getBytes(StandardCharsets.US_ASCII);
      assertThat(b.length).as(Keys.NAMES[id]).isLessThanOrEqualTo(Keys.MAX_KEY_LENGTH);
      assertThat(Keys.lookup(b, b.length)).as(Keys.NAMES[id]).isEqualTo(id);
    }
    byte[] other = "not_a_key".getBytes(StandardCharsets.US_ASCII);
    assertThat(Keys.lookup(other, other.length)).isEqualTo(Keys.UNKNOWN);
  }
}
