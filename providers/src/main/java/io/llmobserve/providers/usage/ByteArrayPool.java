package io.llmobserve.providers.usage;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few byte arrays shared by all calls for the text kept in case a response reports no usage (the
 * raw request copy, the streamed output): most calls report usage and drop that text at their end,
 * so the next call reuses the arrays instead of allocating them again. Bounded: {@link #SLOTS}
 * arrays of at most {@link #MAX_POOLED_BYTES} each are held; an array is only given back once
 * nothing refers to it any more (the caller's job), and a taken array is the caller's alone.
 */
public final class ByteArrayPool {
  static final int SLOTS = 8;
  public static final int MAX_POOLED_BYTES = 16 * 1024;

  /**
   * New arrays are a power of two, at least this big, so that the next calls' slightly longer texts
   * fit one given back (at most twice the bytes needed).
   */
  static final int MIN_BYTES = 256;

  private static final AtomicReferenceArray<byte[]> SLOTS_ = new AtomicReferenceArray<>(SLOTS);

  private ByteArrayPool() {}

  /**
   * An array of at least {@code minLength} bytes (contents undefined): a pooled one or a new one.
   */
  public static byte[] take(int minLength) {
    if (minLength <= MAX_POOLED_BYTES) {
      int start = (int) Thread.currentThread().getId() & (SLOTS - 1);
      for (int i = 0; i < SLOTS; i++) {
        int slot = (start + i) & (SLOTS - 1);
        byte[] b = SLOTS_.get(slot);
        if (b != null && b.length >= minLength && SLOTS_.compareAndSet(slot, b, null)) {
          return b;
        }
      }
    }
    return new byte[sizeFor(minLength)];
  }

  static int sizeFor(int minLength) {
    if (minLength <= MIN_BYTES) {
      return MIN_BYTES;
    }
    return minLength <= MAX_POOLED_BYTES ? Integer.highestOneBit(minLength - 1) << 1 : minLength;
  }

  /** Gives an array back for reuse; the caller keeps no reference to it. Null is ignored. */
  public static void give(byte[] b) {
    if (b == null || b.length > MAX_POOLED_BYTES || b.length < MIN_BYTES) {
      return;
    }
    int start = (int) Thread.currentThread().getId() & (SLOTS - 1);
    for (int i = 0; i < SLOTS; i++) {
      int slot = (start + i) & (SLOTS - 1);
      if (SLOTS_.get(slot) == null && SLOTS_.compareAndSet(slot, null, b)) {
        return;
      }
    }
  }
}
