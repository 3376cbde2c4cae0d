package io.llmobserve.providers.headers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlainDecimalTest {

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
      assertThat(ResponseHeaderInfo.parseDouble(text)).as(text).isEqualTo(Double.parseDouble(text));
    }
  }

  @Test
  void otherFormsFallBackToTheUsualParse() {
    assertThat(ResponseHeaderInfo.plainDecimal("1e3")).isNaN();
    assertThat(ResponseHeaderInfo.parseDouble("1e3")).isEqualTo(1000.0);
    assertThat(ResponseHeaderInfo.plainDecimal("1234567890123456")).isNaN(); // 16 digits
    assertThat(ResponseHeaderInfo.parseDouble("1234567890123456")).isEqualTo(1234567890123456.0);
    assertThat(ResponseHeaderInfo.parseDouble(".5")).isEqualTo(0.5);
    assertThat(ResponseHeaderInfo.parseDouble("-5")).isEqualTo(-5.0);
    assertThat(ResponseHeaderInfo.parseDouble("1.2.3")).isNaN();
    assertThat(ResponseHeaderInfo.parseDouble(".")).isNaN();
    assertThat(ResponseHeaderInfo.parseDouble(" 42 ")).isEqualTo(42.0);
    assertThat(ResponseHeaderInfo.parseDouble("abc")).isNaN();
    assertThat(ResponseHeaderInfo.parseDouble("Infinity")).isNaN();
  }
}
