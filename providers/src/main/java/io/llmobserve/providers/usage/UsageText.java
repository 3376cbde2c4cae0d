package io.llmobserve.providers.usage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of one side of a call (request messages, or the output that streamed), kept only so its
 * tokens can be counted when the provider reports no usage. Bounded: at most {@link #maxChars}
 * characters are kept; the UTF-8 bytes of anything past that are only counted, and {@link
 * UsageEstimator} extrapolates their tokens from the ratio measured on the kept text. Never
 * exported; dropped at the end of the call.
 */
public final class UsageText {
  /** Characters kept per side of a call (request text, output text). */
  public static final int DEFAULT_MAX_CHARS = 16 * 1024;

  /**
   * What both sides of one call may hold at most, counted as 2 bytes per char (for memory checks).
   */
  public static final int MAX_RETAINED_BYTES_PER_CALL = 2 * DEFAULT_MAX_CHARS * 2;

  private final int maxChars;

  /** Values tokenised one by one (OpenAI counts each message field separately). */
  private List<String> pieces; // made on the first piece (the output side never has any)

  /**
   * Streamed output: deltas concatenated as the UTF-8 bytes they arrived in (no String per delta),
   * decoded once, only when counted; tokenised as one text. Counted against the cap by bytes.
   */
  private byte[] streamed;

  private int streamedLength;

  /** Streamed tool-call arguments (and Anthropic partial_json), concatenated. */
  private StringBuilder streamedArguments;

  private int chars;
  private long overheadTokens;
  private long missedBytes;
  private int messages;
  // tool definitions (OpenAI's per-function/per-property overheads depend on the encoding)
  int functions;
  int functionsWithProperties;
  int properties;
  int enums;
  int enumItems;

  public UsageText(int maxChars) {
    this.maxChars = Math.max(0, maxChars);
  }

  /** A value tokenised on its own. {@code missed}: bytes of it that were not captured. */
  public void piece(String text, long missed) {
    missedBytes += Math.max(0, missed);
    if (text == null || text.isEmpty()) {
      return;
    }
    String kept = keep(text);
    if (!kept.isEmpty()) {
      if (pieces == null) {
        pieces = new ArrayList<>();
      }
      pieces.add(kept);
    }
  }

  /** Streamed output text (deltas are concatenated before counting). */
  public void appendStreamed(String text, long missed) {
    if (text != null) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      appendStreamed(utf8, 0, utf8.length, missed);
    } else {
      missedBytes += Math.max(0, missed);
    }
  }

  /**
   * Streamed output as UTF-8 bytes (a captured JSON string value), copied, not decoded. Past the
   * cap the rest is counted as missed bytes, cut at a character boundary.
   */
  public void appendStreamed(byte[] utf8, int offset, int length, long missed) {
    appendStreamed(utf8, offset, length, missed, true);
  }

  /**
   * Same; {@code delta} false when the value is a whole text (a non-streamed response's message):
   * the first one is then kept in an array of its own size, not in room for deltas to come.
   */
  public void appendStreamed(byte[] utf8, int offset, int length, long missed, boolean delta) {
    missedBytes += Math.max(0, missed);
    if (utf8 == null || length <= 0) {
      return;
    }
    int left = maxChars - chars;
    int keep = Math.min(length, Math.max(0, left));
    if (keep < length) {
      while (keep > 0 && (utf8[offset + keep] & 0xC0) == 0x80) {
        keep--; // not inside a multi-byte character
      }
      missedBytes += length - keep;
    }
    if (keep == 0) {
      return;
    }
    byte[] b = streamed;
    int needed = streamedLength + keep;
    if (b == null || b.length < needed) {
      byte[] bigger = ByteArrayPool.take(b == null ? needed : Math.max(needed, b.length * 2));
      if (b != null) {
        System.arraycopy(b, 0, bigger, 0, streamedLength);
        ByteArrayPool.give(b);
      }
      b = bigger;
      streamed = b;
    }
    System.arraycopy(utf8, offset, b, streamedLength, keep);
    streamedLength = needed;
    chars += keep;
  }

  /**
   * Gives the streamed bytes' array back to {@link ByteArrayPool}: this text is being dropped and
   * nothing reads it again.
   */
  public void release() {
    byte[] b = streamed;
    streamed = null;
    streamedLength = 0;
    ByteArrayPool.give(b);
  }

  /** Streamed tool-call arguments. */
  public void appendArguments(String text, long missed) {
    missedBytes += Math.max(0, missed);
    if (text != null) {
      if (streamedArguments == null) {
        streamedArguments = new StringBuilder();
      }
      streamedArguments.append(keep(text));
    }
  }

  /** Fixed tokens of the counting rules (per message, per function, reply priming). */
  public void overhead(long tokens) {
    overheadTokens += tokens;
  }

  public void message() {
    messages++;
  }

  private String keep(String text) {
    int left = maxChars - chars;
    if (text.length() <= left) {
      chars += text.length();
      return text;
    }
    String kept = left <= 0 ? "" : text.substring(0, left);
    chars += kept.length();
    missedBytes += Utf8.length(text, kept.length(), text.length());
    return kept;
  }

  public List<String> pieces() {
    List<String> all = pieces == null ? new ArrayList<>(2) : new ArrayList<>(pieces);
    if (streamedLength > 0) {
      all.add(new String(streamed, 0, streamedLength, StandardCharsets.UTF_8));
    }
    if (streamedArguments != null && streamedArguments.length() > 0) {
      all.add(streamedArguments.toString());
    }
    return all;
  }

  public long overheadTokens() {
    return overheadTokens;
  }

  /** UTF-8 bytes of text seen but not kept (past the cap or past a value's capture limit). */
  public long missedBytes() {
    return missedBytes;
  }

  public int messages() {
    return messages;
  }

  public boolean hasText() {
    return chars > 0 || missedBytes > 0;
  }

  /** Characters held (for bounded-memory checks). */
  public int retainedChars() {
    return chars;
  }

  /** UTF-8 lengths without encoding. */
  static final class Utf8 {
    private Utf8() {}

    static long length(CharSequence s, int from, int to) {
      long n = 0;
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          n++;
        } else if (c < 0x800) {
          n += 2;
        } else if (Character.isHighSurrogate(c)) {
          n += 4;
          i++;
        } else {
          n += 3;
        }
      }
      return n;
    }
  }
}
