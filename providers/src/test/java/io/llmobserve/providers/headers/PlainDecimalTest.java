package io.llmobserve.providers.headers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlainDecimalTest {
  static double parse(String s) {
    return HeaderNumbers.parseDouble(s, 0, s.length());
  }

  @Test
  void sameDoubleAsParseDoubleForPlainDecimals() {
    SplittableRandom random = new SplittableRandom(16);
    for (int i = 0; i < 200_000; i++) {
      int intDigits = random.nextInt(1, 12);
      int fracDigits = random.nextInt(0, 15 - intDigits + 1);
      StringBuilder s = new StringBuilder();
      for (int d = 0; d < intDigits; d++) {
        s.append((char) ('0' + random.nextInt(10)));
      }
      if (fracDigits > 0 || random.nextBoolean()) {
        s.append('.');
      }
      for (int d = 0; d < fracDigits; d++) {
        s.append((char) ('0' + random.nextInt(10)));
      }
      String text = s.toString();
      assertThat(parse(text)).as(text).isEqualTo(Double.parseDouble(text));
    }
  }

  @Test
  void otherFormsFallBackToTheUsualParse() {
    assertThat(HeaderNumbers.plainDecimal("1e3", 0, "1e3".length())).isNaN();
    assertThat(parse("1e3")).isEqualTo(1000.0);
    assertThat(HeaderNumbers.plainDecimal("1234567890123456", 0, "1234567890123456".length()))
        .isNaN(); // 16 digits
    assertThat(parse("1234567890123456")).isEqualTo(1234567890123456.0);
    assertThat(parse(".5")).isEqualTo(0.5);
    assertThat(parse("-5")).isEqualTo(-5.0);
    assertThat(parse("1.2.3")).isNaN();
    assertThat(parse(".")).isNaN();
    assertThat(parse(" 42 ")).isEqualTo(42.0);
    assertThat(parse("abc")).isNaN();
    assertThat(parse("Infinity")).isNaN();
  }

  /** In place, as a client's header buffer holds it: "name: value" with the value at an offset. */
  @Test
  void numbersAreReadInPlaceFromARangeOfALargerBuffer() {
    StringBuilder line = new StringBuilder("x-ratelimit-remaining-tokens:  149984 ");
    assertThat(HeaderNumbers.parseLong(line, 29, line.length())).isEqualTo(149984L);
    assertThat(HeaderNumbers.parseDouble(line, 29, line.length())).isEqualTo(149984.0);
    StringBuilder ms = new StringBuilder("openai-processing-ms: 12.5");
    assertThat(HeaderNumbers.parseDouble(ms, 21, ms.length())).isEqualTo(12.5);
    assertThat(HeaderNumbers.parseLong(ms, 21, ms.length())).isEqualTo(-1L);
    assertThat(HeaderNumbers.parseLong(line, 0, 0)).isEqualTo(-1L);
    assertThat(HeaderNumbers.parseLong("1234567890123456789", 0, 19)).isEqualTo(-1L); // 19 digits
    assertThat(HeaderNumbers.parseLong(" 7 ", 0, 3)).isEqualTo(7L);
  }
}
