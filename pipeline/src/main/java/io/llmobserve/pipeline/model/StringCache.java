package io.llmobserve.pipeline.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The same String instance for the same short UTF-8 bytes, within one thread's decoder or
 * serializer: every call repeats a handful of label values (provider, model, region, operation,
 * attribute keys), and a fresh String per value per call was most of the job's allocation, and its
 * hash was computed again by every map look-up downstream (a String caches its own hash).
 * Direct-mapped and bounded (a value that misses replaces the slot's), so a flood of distinct
 * values costs a copy each and no memory growth. Not thread-safe: one per decoder or serializer
 * instance.
 */
public final class StringCache {
  /** Longer values (error texts, ...) are rarely repeated: not cached. */
  public static final int MAX_BYTES = 96;

  private static final int SLOTS = 1024;

  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] strings = new String[SLOTS];

  /** Encoded forms of recently written strings, by identity (the writer's side). */
  private final String[] encodedOf = new String[SLOTS];

  private final byte[][] encoded = new byte[SLOTS][];

  /** {@code new String(b, from, to - from, UTF_8)}, the same instance for the same bytes. */
  public String decode(byte[] b, int from, int to) {
    int n = to - from;
    if (n > MAX_BYTES) {
      return new String(b, from, n, StandardCharsets.UTF_8);
    }
    int h = n;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] cached = bytes[slot];
    if (cached != null && Arrays.equals(cached, 0, cached.length, b, from, to)) {
      return strings[slot];
    }
    String s = new String(b, from, n, StandardCharsets.UTF_8);
    bytes[slot] = Arrays.copyOfRange(b, from, to);
    strings[slot] = s;
    return s;
  }

  /** {@code s.getBytes(UTF_8)}, without a new array when {@code s} was encoded a moment ago. */
  @SuppressWarnings({"StringEquality", "ReferenceEquality"})
  public byte[] encode(String s) {
    int slot = (s.hashCode() ^ (s.hashCode() >>> 16)) & (SLOTS - 1);
    if (encodedOf[slot] == s) { // identity: the decoders hand out the same instances
      return encoded[slot];
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MAX_BYTES) {
      encodedOf[slot] = s;
      encoded[slot] = b;
    }
    return b;
  }
}
