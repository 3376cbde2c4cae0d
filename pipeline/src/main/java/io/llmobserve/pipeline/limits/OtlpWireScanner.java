package io.llmobserve.pipeline.limits;

/**
 * Walks an ExportTraceServiceRequest in protobuf wire format without creating any object: validates
 * the structure (tags, varints, lengths, UTF-8 of string fields, as protobuf-java's parser would)
 * and counts spans, attributes, elements and value nesting against {@link RequestLimits}. Stops at
 * the first limit exceeded, so the cost is bounded by the limits, not by the input. Unknown fields
 * are skipped (proto3); groups (never used by OTLP) are rejected.
 */
public final class OtlpWireScanner {
  /** Why a payload is refused; {@code label} is the metric's reason label. */
  public enum Verdict {
    OK("ok"),
    MALFORMED("malformed"),
    TOO_MANY_SPANS("too_many_spans"),
    TOO_MANY_ATTRIBUTES("too_many_attributes"),
    TOO_MANY_ELEMENTS("too_many_elements"),
    TOO_DEEP("too_deep");

    public final String label;

    Verdict(String label) {
      this.label = label;
    }
  }

  // Message types of the trace request, by the fields that hold sub-messages or strings (ints:
  // the walk looks them up in tables, once per field).
  private static final int REQUEST = 0;
  private static final int RESOURCE_SPANS = 1;
  private static final int RESOURCE = 2;
  private static final int ENTITY_REF = 3;
  private static final int SCOPE_SPANS = 4;
  private static final int SCOPE = 5;
  private static final int SPAN = 6;
  private static final int EVENT = 7;
  private static final int LINK = 8;
  private static final int STATUS = 9;
  private static final int KEY_VALUE = 10;
  private static final int ANY_VALUE = 11;
  private static final int ARRAY_VALUE = 12;
  private static final int KV_LIST = 13;
  private static final int TYPES = 14;
  private static final int NONE = -1;

  /** The sub-message type of field {@code f} of type {@code t} at {@code t * 16 + f}, or NONE. */
  private static final int[] CHILD = new int[TYPES * 16];

  /** Per type, bit {@code f} set when field {@code f} (below 32) is a string. */
  private static final int[] STRINGS = new int[TYPES];

  static {
    java.util.Arrays.fill(CHILD, NONE);
    child(REQUEST, 1, RESOURCE_SPANS);
    child(RESOURCE_SPANS, 1, RESOURCE);
    child(RESOURCE_SPANS, 2, SCOPE_SPANS);
    child(RESOURCE, 1, KEY_VALUE);
    child(RESOURCE, 3, ENTITY_REF);
    child(SCOPE_SPANS, 1, SCOPE);
    child(SCOPE_SPANS, 2, SPAN);
    child(SCOPE, 3, KEY_VALUE);
    child(SPAN, 9, KEY_VALUE);
    child(SPAN, 11, EVENT);
    child(SPAN, 13, LINK);
    child(SPAN, 15, STATUS);
    child(EVENT, 3, KEY_VALUE);
    child(LINK, 4, KEY_VALUE);
    child(KEY_VALUE, 2, ANY_VALUE);
    child(ANY_VALUE, 5, ARRAY_VALUE);
    child(ANY_VALUE, 6, KV_LIST);
    child(ARRAY_VALUE, 1, ANY_VALUE);
    child(KV_LIST, 1, KEY_VALUE);
    strings(RESOURCE_SPANS, 3); // schema_url
    strings(SCOPE_SPANS, 3); // schema_url
    strings(SCOPE, 1, 2);
    strings(SPAN, 3, 5); // trace_state, name
    strings(EVENT, 2);
    strings(LINK, 3);
    strings(STATUS, 2);
    strings(KEY_VALUE, 1);
    strings(ANY_VALUE, 1);
  }

  private static void child(int type, int field, int child) {
    CHILD[type * 16 + field] = child;
  }

  private static void strings(int type, int... fields) {
    for (int f : fields) {
      STRINGS[type] |= 1 << f;
    }
  }

  private static final class LimitExceeded extends RuntimeException {
    final Verdict verdict;

    LimitExceeded(Verdict verdict) {
      super(verdict.label, null, false, false);
      this.verdict = verdict;
    }
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private final RequestLimits limits;
  private final byte[] buf;
  private int spans;
  private int attributes;
  private int elements;

  private OtlpWireScanner(RequestLimits limits, byte[] buf) {
    this.limits = limits;
    this.buf = buf;
  }

  /** Result of a scan: the verdict and what was counted up to it. */
  public record Result(Verdict verdict, int spans, int attributes, int elements) {
    public boolean ok() {
      return verdict == Verdict.OK;
    }
  }

  public static Result scan(byte[] payload, RequestLimits limits) {
    OtlpWireScanner s = new OtlpWireScanner(limits, payload);
    Verdict v;
    try {
      s.message(REQUEST, 0, payload.length, 0);
      v = Verdict.OK;
    } catch (LimitExceeded e) {
      v = e.verdict;
    }
    return new Result(v, s.spans, s.attributes, s.elements);
  }

  private void message(int type, int pos, int end, int depth) {
    while (pos < end) {
      long tag = buf[pos++];
      if (tag < 0) { // more than one byte
        tag &= 0x7f;
        int shift = 7;
        while (true) { // varint tag
          if (pos >= end || shift > 63) {
            throw new LimitExceeded(Verdict.MALFORMED);
          }
          byte b = buf[pos++];
          tag |= (long) (b & 0x7f) << shift;
          if (b >= 0) {
            break;
          }
          shift += 7;
        }
      }
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field <= 0 || tag >>> 3 > 0x1fffffff) {
        throw new LimitExceeded(Verdict.MALFORMED);
      }
      switch (wire) {
        case 0 -> pos = skipVarint(pos, end);
        case 1 -> pos = need(pos, 8, end);
        case 5 -> pos = need(pos, 4, end);
        case 2 -> {
          if (pos >= end) {
            throw new LimitExceeded(Verdict.MALFORMED);
          }
          long len = buf[pos++];
          if (len < 0) { // more than one byte
            len &= 0x7f;
            int shift = 7;
            while (true) {
              if (pos >= end || shift > 35) {
                throw new LimitExceeded(Verdict.MALFORMED);
              }
              byte b = buf[pos++];
              len |= (long) (b & 0x7f) << shift;
              if (b >= 0) {
                break;
              }
              shift += 7;
            }
          }
          if (len > end - pos) {
            throw new LimitExceeded(Verdict.MALFORMED);
          }
          int from = pos;
          pos += (int) len;
          lengthDelimited(type, field, from, pos, depth);
        }
        default -> throw new LimitExceeded(Verdict.MALFORMED); // groups (3, 4) and 6, 7
      }
    }
  }

  private void lengthDelimited(int type, int field, int from, int to, int depth) {
    int child = field < 16 ? CHILD[type * 16 + field] : NONE;
    if (child != NONE) {
      if (++elements > limits.maxElements()) {
        throw new LimitExceeded(Verdict.TOO_MANY_ELEMENTS);
      }
      if (child == SPAN && ++spans > limits.maxSpans()) {
        throw new LimitExceeded(Verdict.TOO_MANY_SPANS);
      }
      if (child == KEY_VALUE && ++attributes > limits.maxAttributes()) {
        throw new LimitExceeded(Verdict.TOO_MANY_ATTRIBUTES);
      }
      int d = depth;
      if (child == ARRAY_VALUE || child == KV_LIST) {
        if (++d > limits.maxDepth()) {
          throw new LimitExceeded(Verdict.TOO_DEEP);
        }
      }
      message(child, from, to, d);
    } else if (isString(type, field) && !validUtf8(buf, from, to)) {
      throw new LimitExceeded(
          Verdict.MALFORMED); // protobuf-java rejects invalid UTF-8 in proto3 strings
    }
  }

  /** ENTITY_REF's fields are all strings (schema_url, type, id_keys, description_keys). */
  private static boolean isString(int type, int field) {
    return type == ENTITY_REF || (field < 32 && (STRINGS[type] & (1 << field)) != 0);
  }

  /**
   * Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF), as protobuf requires.
   */
  public static boolean validUtf8(byte[] b, int from, int to) {
    int i = from;
    // ASCII, 8 bytes at a time (most keys and values)
    while (to - i >= 8 && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
      i += 8;
    }
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (to - i <= n) {
        return false;
      }
      int cp = c & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }

  private int skipVarint(int pos, int end) {
    for (int i = 0; i < 10; i++) {
      if (pos >= end) {
        throw new LimitExceeded(Verdict.MALFORMED);
      }
      if (buf[pos++] >= 0) {
        return pos;
      }
    }
    throw new LimitExceeded(Verdict.MALFORMED);
  }

  private static int need(int pos, int n, int end) {
    if (end - pos < n) {
      throw new LimitExceeded(Verdict.MALFORMED);
    }
    return pos + n;
  }
}
