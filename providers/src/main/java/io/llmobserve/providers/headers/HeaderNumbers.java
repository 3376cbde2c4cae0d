package io.llmobserve.providers.headers;

/**
 * Numbers in header values, read from any {@link CharSequence} range: a client whose header values
 * sit in its own buffers (Apache HttpClient's {@code CharArrayBuffer}) parses them in place instead
 * of building a String per value. Surrounding blanks are ignored, as {@code String.trim()} would.
 */
public final class HeaderNumbers {
  private HeaderNumbers() {}

  /** A non-negative decimal integer of at most 18 digits; -1 for anything else. */
  public static long parseLong(CharSequence s, int from, int to) {
    if (s == null) {
      return -1;
    }
    while (from < to && s.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && s.charAt(to - 1) <= ' ') {
      to--;
    }
    if (from == to || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** 10^0 .. 10^15, exact doubles. */
  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
  };

  /**
   * A finite decimal of at most 24 characters; NaN for anything else. "123" and "12.5" (what
   * processing-time headers carry on every call) are read without {@code Double.parseDouble}'s
   * per-call buffers: at most 15 digits are an exact long, 10^fraction digits an exact double, and
   * one IEEE division of exact values is correctly rounded, so the result is the double {@code
   * Double.parseDouble} returns. Other forms (exponents...) go through it.
   */
  public static double parseDouble(CharSequence s, int from, int to) {
    if (s == null) {
      return Double.NaN;
    }
    while (from < to && s.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && s.charAt(to - 1) <= ' ') {
      to--;
    }
    if (from == to || to - from > 24) {
      return Double.NaN;
    }
    double plain = plainDecimal(s, from, to);
    if (!Double.isNaN(plain)) {
      return plain;
    }
    try {
      double d = Double.parseDouble(s.subSequence(from, to).toString());
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  static double plainDecimal(CharSequence s, int from, int to) {
    long digits = 0;
    int count = 0;
    int fraction = -1;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++count > 15) {
          return Double.NaN;
        }
        digits = digits * 10 + (c - '0');
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return Double.NaN;
      }
    }
    if (count == 0) {
      return Double.NaN;
    }
    return fraction <= 0 ? (double) digits : digits / POWERS_OF_TEN[fraction];
  }
}
