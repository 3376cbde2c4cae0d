package io.llmobserve.providers.json;

import java.nio.charset.StandardCharsets;

/**
 * Strings for short ASCII values that recur from call to call (model names, finish reasons, system
 * fingerprints, service tiers): a call whose value equals one seen before gets that String instead
 * of a new one. Never used for per-call or user text (ids, prompts, completions). Bounded: {@link
 * #SLOTS} slots of at most {@link #MAX_LENGTH} characters, a newer value replacing an older one in
 * its slot. Thread-safe without locks: Strings are immutable and safely published, so a racy slot
 * read sees null, an older value or a newer one, and every value is compared before it is reused.
 */
public final class RecurringStrings {
  static final int SLOTS = 256;
  static final int MAX_LENGTH = 64;

  private static final String[] TABLE = new String[SLOTS];

  private RecurringStrings() {}

  /** The UTF-8 value {@code b[0, len)} as a String, reusing an equal one seen before. */
  public static String of(byte[] b, int len) {
    if (len <= 0 || len > MAX_LENGTH) {
      return new String(b, 0, Math.max(0, len), StandardCharsets.UTF_8);
    }
    int h = 0;
    for (int i = 0; i < len; i++) {
      byte c = b[i];
      if (c < 0) {
        return new String(b, 0, len, StandardCharsets.UTF_8); // not ASCII: not kept
      }
      h = 31 * h + c;
    }
    int slot = (h ^ (h >>> 8)) & (SLOTS - 1);
    String s = TABLE[slot];
    if (equalsAscii(s, b, len)) {
      return s;
    }
    s = new String(b, 0, len, StandardCharsets.US_ASCII);
    TABLE[slot] = s;
    return s;
  }

  /** Whether {@code s} equals the ASCII bytes {@code b[0, len)}. */
  public static boolean equalsAscii(String s, byte[] b, int len) {
    if (s == null || s.length() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      byte c = b[i];
      if (c < 0 || s.charAt(i) != (char) c) {
        return false;
      }
    }
    return true;
  }
}
