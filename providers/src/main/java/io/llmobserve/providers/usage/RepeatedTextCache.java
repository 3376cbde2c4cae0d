package io.llmobserve.providers.usage;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToIntBiFunction;

/**
 * Remembers the token counts of long texts, so a chat app that resends its whole history every turn
 * has each earlier message counted once per JVM rather than once per turn (counting is the costly
 * part of an estimate: BPE over every byte). Keeps no text: a slot holds a 32-bit digest of
 * (encoding, text) and the count, packed in one long, so a reader never sees a digest with another
 * text's count. A digest collision would return another text's count; with the text's length mixed
 * into its hash that needs two texts of equal length and equal hash to meet in one slot, and it
 * only moves an estimate. Texts shorter than {@link #MIN_CHARS} are counted directly (hashing them
 * would cost about as much). Thread-safe, lock-free, fixed size.
 */
public final class RepeatedTextCache implements ToIntBiFunction<String, String> {
  static final int MIN_CHARS = 256;
  private static final int SLOTS = 4096; // 32 KiB

  private final ToIntBiFunction<String, String> counter;
  private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

  public RepeatedTextCache(ToIntBiFunction<String, String> counter) {
    this.counter = counter;
  }

  @Override
  public int applyAsInt(String encoding, String text) {
    if (text.length() < MIN_CHARS) {
      return counter.applyAsInt(encoding, text);
    }
    int digest = digest(encoding, text);
    int slot = (digest ^ (digest >>> 16)) & (SLOTS - 1);
    long entry = slots.get(slot);
    if (entry != 0 && (int) (entry >>> 32) == digest) {
      return (int) entry;
    }
    int count = counter.applyAsInt(encoding, text);
    slots.lazySet(slot, ((long) digest << 32) | (count & 0xFFFF_FFFFL));
    return count;
  }

  static int digest(String encoding, String text) {
    int h = text.hashCode() * 31 + text.length();
    h = h * 31 + encoding.hashCode();
    return h == 0 ? 1 : h; // 0 marks an empty slot
  }
}
