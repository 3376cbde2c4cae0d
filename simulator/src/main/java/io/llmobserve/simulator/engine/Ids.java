package io.llmobserve.simulator.engine;

import java.util.Random;

/** Provider-shaped identifiers drawn from the exchange's seeded random. */
public final class Ids {
  private static final String HEX = "0123456789abcdef";
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  private Ids() {}

  public static String hex(Random r, int n) {
    return draw(r, HEX, n);
  }

  public static String alnum(Random r, int n) {
    return draw(r, ALNUM, n);
  }

  public static String base58(Random r, int n) {
    return draw(r, BASE58, n);
  }

  /** A version-4-looking UUID, but deterministic. */
  public static String uuid(Random r) {
    String h = hex(r, 32);
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-4"
        + h.substring(13, 16)
        + "-"
        + "89ab".charAt(r.nextInt(4))
        + h.substring(17, 20)
        + "-"
        + h.substring(20, 32);
  }

  private static String draw(Random r, String alphabet, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
