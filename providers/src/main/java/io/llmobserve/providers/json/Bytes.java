package io.llmobserve.providers.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte searches eight bytes at a time (SWAR), for the scanners' hot loops over long strings. */
public final class Bytes {
  private Bytes() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
  private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
  private static final long CRS = 0x0D0D0D0D0D0D0D0DL;

  /** High bit set in each byte of v that is zero; exact for the lowest such byte. */
  private static long zeroBytes(long v) {
    return (v - ONES) & ~v & HIGHS;
  }

  /** Index of the first '"' or '\\' in b[from, end), or end. */
  public static int indexOfQuoteOrBackslash(byte[] b, int from, int end) {
    int i = from;
    while (i + 8 <= end) {
      long v = (long) LONGS.get(b, i);
      long hit = zeroBytes(v ^ QUOTES) | zeroBytes(v ^ BACKSLASHES);
      if (hit != 0) {
        return i + (Long.numberOfTrailingZeros(hit) >>> 3);
      }
      i += 8;
    }
    while (i < end) {
      byte c = b[i];
      if (c == '"' || c == '\\') {
        return i;
      }
      i++;
    }
    return end;
  }

  /** Index of the first LF or CR in b[from, end), or end. */
  public static int indexOfLineEnd(byte[] b, int from, int end) {
    int i = from;
    while (i + 8 <= end) {
      long v = (long) LONGS.get(b, i);
      long hit = zeroBytes(v ^ LFS) | zeroBytes(v ^ CRS);
      if (hit != 0) {
        return i + (Long.numberOfTrailingZeros(hit) >>> 3);
      }
      i += 8;
    }
    while (i < end) {
      byte c = b[i];
      if (c == '\n' || c == '\r') {
        return i;
      }
      i++;
    }
    return end;
  }
}
