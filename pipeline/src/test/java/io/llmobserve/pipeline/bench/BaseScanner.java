package io.llmobserve.pipeline.bench;

import io.llmobserve.pipeline.limits.RequestLimits;

/**
 * Walks an ExportTraceServiceRequest in protobuf wire format without creating any object: validates
 * the structure (tags, varints, lengths, UTF-8 of string fields, as protobuf-java's parser would)
 * and counts spans, attributes, elements and value nesting against {@link RequestLimits}. Stops at
 * the first limit exceeded, so the cost is bounded by the limits, not by the input. Unknown fields
 * are skipped (proto3); groups (never used by OTLP) are rejected.
 */
public final class BaseScanner {
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

  // Message types of the trace request, by the fields that hold sub-messages or strings.
  private enum Type {
    REQUEST,
    RESOURCE_SPANS,
    RESOURCE,
    ENTITY_REF,
    SCOPE_SPANS,
    SCOPE,
    SPAN,
    EVENT,
    LINK,
    STATUS,
    KEY_VALUE,
    ANY_VALUE,
    ARRAY_VALUE,
    KV_LIST
  }

  private static final class LimitExceeded extends RuntimeException {
    final Verdict verdict;

    LimitExceeded(Verdict verdict) {
      super(verdict.label, null, false, false);
      this.verdict = verdict;
    }
  }

  private final RequestLimits limits;
  private final byte[] buf;
  private int spans;
  private int attributes;
  private int elements;

  private BaseScanner(RequestLimits limits, byte[] buf) {
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
    BaseScanner s = new BaseScanner(limits, payload);
    Verdict v;
    try {
      s.message(Type.REQUEST, 0, payload.length, 0);
      v = Verdict.OK;
    } catch (LimitExceeded e) {
      v = e.verdict;
    }
    return new Result(v, s.spans, s.attributes, s.elements);
  }

  private void message(Type type, int pos, int end, int depth) {
    while (pos < end) {
      long tag = 0;
      int shift = 0;
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
          long len = 0;
          shift = 0;
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

  private void lengthDelimited(Type type, int field, int from, int to, int depth) {
    Type child = child(type, field);
    if (child != null) {
      if (++elements > limits.maxElements()) {
        throw new LimitExceeded(Verdict.TOO_MANY_ELEMENTS);
      }
      if (child == Type.SPAN && ++spans > limits.maxSpans()) {
        throw new LimitExceeded(Verdict.TOO_MANY_SPANS);
      }
      if (child == Type.KEY_VALUE && ++attributes > limits.maxAttributes()) {
        throw new LimitExceeded(Verdict.TOO_MANY_ATTRIBUTES);
      }
      int d = depth;
      if (child == Type.ARRAY_VALUE || child == Type.KV_LIST) {
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

  private static Type child(Type type, int field) {
    return switch (type) {
      case REQUEST -> field == 1 ? Type.RESOURCE_SPANS : null;
      case RESOURCE_SPANS -> field == 1 ? Type.RESOURCE : field == 2 ? Type.SCOPE_SPANS : null;
      case RESOURCE -> field == 1 ? Type.KEY_VALUE : field == 3 ? Type.ENTITY_REF : null;
      case SCOPE_SPANS -> field == 1 ? Type.SCOPE : field == 2 ? Type.SPAN : null;
      case SCOPE -> field == 3 ? Type.KEY_VALUE : null;
      case SPAN ->
          switch (field) {
            case 9 -> Type.KEY_VALUE;
            case 11 -> Type.EVENT;
            case 13 -> Type.LINK;
            case 15 -> Type.STATUS;
            default -> null;
          };
      case EVENT -> field == 3 ? Type.KEY_VALUE : null;
      case LINK -> field == 4 ? Type.KEY_VALUE : null;
      case KEY_VALUE -> field == 2 ? Type.ANY_VALUE : null;
      case ANY_VALUE -> field == 5 ? Type.ARRAY_VALUE : field == 6 ? Type.KV_LIST : null;
      case ARRAY_VALUE -> field == 1 ? Type.ANY_VALUE : null;
      case KV_LIST -> field == 1 ? Type.KEY_VALUE : null;
      default -> null;
    };
  }

  private static boolean isString(Type type, int field) {
    return switch (type) {
      case RESOURCE_SPANS, SCOPE_SPANS -> field == 3; // schema_url
      case ENTITY_REF -> true; // schema_url, type, id_keys, description_keys: all strings
      case SCOPE -> field == 1 || field == 2;
      case SPAN -> field == 3 || field == 5; // trace_state, name
      case EVENT -> field == 2;
      case LINK -> field == 3;
      case STATUS -> field == 2;
      case KEY_VALUE -> field == 1;
      case ANY_VALUE -> field == 1;
      default -> false;
    };
  }

  /**
   * Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF), as protobuf requires.
   */
  public static boolean validUtf8(byte[] b, int from, int to) {
    int i = from;
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
