package io.llmobserve.providers.json;

import java.nio.charset.StandardCharsets;

/**
 * An incremental JSON scanner: a state machine over bytes that can be fed in arbitrary chunk splits
 * (inside strings, escapes, numbers, literals). It tracks container depth and, for the shallow
 * levels, the key of every level as a {@link Keys} id, and materialises only the values its {@link
 * JsonHandler} asks for, up to a per-value cap. Its state is O(1) in the input size: a bit per open
 * container (up to {@link #MAX_DEPTH}) and one capture buffer.
 *
 * <p>Consecutive top-level values are accepted (NDJSON, or SSE events after {@link #reset}).
 * Invalid input puts it into an error state that swallows the rest until {@link #reset} (or, in
 * NDJSON mode, the next line feed). It never throws on any input.
 */
public final class JsonScanner implements ByteSink {
  public static final int STRING = 1;
  public static final int NUMBER = 2;
  public static final int TRUE = 3;
  public static final int FALSE = 4;
  public static final int NULL = 5;

  /** Deeper documents are abandoned (error state); same order as Jackson's default limit. */
  public static final int MAX_DEPTH = 1024;

  /** Levels whose key is tracked; deeper keys read as {@link Keys#UNKNOWN}. */
  public static final int KEY_DEPTH = 16;

  /** Largest capture any handler may ask for. */
  public static final int MAX_CAPTURE = 16 * 1024;

  private static final int S_VALUE = 0; // expect a value (top level or after ':' / ',')
  private static final int S_VALUE_OR_END = 1; // after '['
  private static final int S_AFTER_VALUE = 2; // expect ',' or a closing bracket
  private static final int S_KEY_OR_END = 3; // after '{'
  private static final int S_KEY = 4; // after ',' in an object
  private static final int S_COLON = 5;
  private static final int S_STRING = 6;
  private static final int S_ESCAPE = 7;
  private static final int S_UNICODE = 8;
  private static final int S_NUMBER = 9;
  private static final int S_LITERAL = 10;
  private static final int S_ERROR = 11;

  private final JsonHandler handler;
  private boolean ndjson;
  private boolean reportKeys;

  private int state = S_VALUE;
  private int depth;
  // object-or-array per level: levels 1..64 in a field, deeper ones (rare) in an array made on
  // first need (a scanner per body per call: no 136-byte array for the usual depth of 2-6)
  private long objectBits0;
  private long[] objectBits;
  private final int[] keys = new int[KEY_DEPTH + 1];

  private boolean inKey;
  private int scalarKind;
  private int captureLimit;
  private byte[] buf = new byte[64];
  private int len;
  private boolean truncated;
  private int unicodeDigits;
  private int unicodeValue;
  private int highSurrogate;
  private long valueBytes;

  public JsonScanner(JsonHandler handler) {
    this.handler = handler;
  }

  /** In NDJSON mode a line feed ends an erroneous document, so one bad line loses only itself. */
  public void setNdjson(boolean ndjson) {
    this.ndjson = ndjson;
  }

  /**
   * Also report object keys to {@link JsonHandler#key} (off by default: it costs a call per key).
   */
  public void setReportKeys(boolean reportKeys) {
    this.reportKeys = reportKeys;
  }

  /**
   * Raw (still JSON-escaped) bytes of the string value being captured, counted also past the
   * capture limit: in {@link JsonHandler#scalar} it tells how much a truncated value missed.
   */
  public long valueBytes() {
    return valueBytes;
  }

  /** Forget the current document (SSE event boundary, AWS frame end). */
  public void reset() {
    state = S_VALUE;
    depth = 0;
    inKey = false;
    len = 0;
    captureLimit = 0;
    if (buf.length > 1024) {
      buf = new byte[64]; // do not retain a big content capture buffer between documents
    }
  }

  /** Open containers around the current position (0 = top level). */
  public int depth() {
    return depth;
  }

  /** The key ({@link Keys} id) at container level 1..depth(), {@link Keys#ARRAY} in arrays. */
  public int keyAt(int level) {
    return level >= 1 && level <= KEY_DEPTH && level <= depth ? keys[level] : Keys.UNKNOWN;
  }

  public boolean isError() {
    return state == S_ERROR;
  }

  /** Bytes the scanner holds on to, for bounded-memory assertions. */
  public int retainedBytes() {
    return buf.length + 8 + (objectBits == null ? 0 : objectBits.length * 8) + keys.length * 4;
  }

  @Override
  public void end() {}

  @Override
  public void accept(byte[] b, int off, int length) {
    try {
      scan(b, off, length);
    } catch (RuntimeException e) {
      state = S_ERROR; // defensive: a handler bug must not escape into the app
    }
  }

  private void scan(byte[] b, int off, int length) {
    int i = off;
    int end = off + length;
    while (i < end) {
      switch (state) {
        case S_STRING:
          {
            if (captureLimit == 0) {
              // skipping: an escape only hides the next byte (\\uXXXX digits are plain bytes)
              while (true) {
                i = Bytes.indexOfQuoteOrBackslash(b, i, end);
                if (i + 1 < end && b[i] == '\\') {
                  i += 2;
                } else {
                  break;
                }
              }
            } else {
              int start = i;
              i = Bytes.indexOfQuoteOrBackslash(b, i, end);
              valueBytes += i - start;
              appendRange(b, start, i - start);
            }
            if (i < end) {
              if (b[i++] == '"') {
                endString();
              } else {
                state = S_ESCAPE;
              }
            }
            break;
          }
        case S_ESCAPE:
          {
            byte c = b[i++];
            valueBytes += 2;
            if (c == 'u' && captureLimit > 0) { // skipped strings are not validated (as inline)
              unicodeDigits = 0;
              unicodeValue = 0;
              state = S_UNICODE;
            } else {
              if (captureLimit > 0) {
                appendEscape(c);
              }
              state = S_STRING;
            }
            break;
          }
        case S_UNICODE:
          {
            int h = hex(b[i++]);
            valueBytes++;
            if (h < 0) {
              state = S_ERROR;
              break;
            }
            unicodeValue = (unicodeValue << 4) | h;
            if (++unicodeDigits == 4) {
              if (captureLimit > 0) {
                appendCodeUnit(unicodeValue);
              }
              state = S_STRING;
            }
            break;
          }
        case S_NUMBER:
          {
            while (i < end) {
              byte c = b[i];
              if ((c >= '0' && c <= '9')
                  || c == '.'
                  || c == '-'
                  || c == '+'
                  || c == 'e'
                  || c == 'E') {
                if (captureLimit > 0) {
                  append(c);
                }
                i++;
              } else {
                endScalar(); // the terminator is processed by the structural state
                break;
              }
            }
            break;
          }
        case S_LITERAL:
          {
            while (i < end) {
              byte c = b[i];
              if (c >= 'a' && c <= 'z') {
                i++;
              } else {
                endScalar();
                break;
              }
            }
            break;
          }
        case S_ERROR:
          {
            if (!ndjson) {
              return;
            }
            while (i < end && b[i] != '\n') {
              i++;
            }
            if (i < end) {
              reset();
            }
            break;
          }
        default:
          i = structural(b, i, end);
      }
    }
  }

  /** Handles whitespace and punctuation in the non-scalar states; returns the next index. */
  private int structural(byte[] b, int i, int end) {
    while (i < end) {
      byte c = b[i++];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        continue;
      }
      switch (state) {
        case S_VALUE:
        case S_VALUE_OR_END:
          if (c == ']' && state == S_VALUE_OR_END) {
            close(false);
          } else {
            startValue(c);
            if (captureLimit == 0) {
              i = skipScalar(b, i, end);
            }
          }
          break;
        case S_AFTER_VALUE:
          if (depth == 0) {
            startValue(c); // next top-level document
            break;
          }
          boolean object = isObject(depth);
          if (c == ',') {
            state = object ? S_KEY : S_VALUE;
          } else if (c == '}' && object) {
            close(true);
          } else if (c == ']' && !object) {
            close(false);
          } else {
            state = S_ERROR;
          }
          break;
        case S_KEY_OR_END:
        case S_KEY:
          if (c == '"') {
            // fast path: the whole key is in this chunk and has no escape: hash it in place
            int q = i;
            int h = 0;
            while (q < end) {
              byte k = b[q];
              if (k == '"' || k == '\\') {
                break;
              }
              h = 31 * h + k;
              q++;
            }
            if (q < end && b[q] == '"') {
              if (depth <= KEY_DEPTH) {
                keys[depth] = Keys.lookup(b, i, q - i, h);
              }
              if (reportKeys) {
                handler.key(this, b, i, q - i);
              }
              i = q + 1;
              state = S_COLON;
              break;
            }
            inKey = true;
            len = 0;
            truncated = false;
            captureLimit = depth <= KEY_DEPTH ? Keys.MAX_KEY_LENGTH + 1 : 0;
            state = S_STRING;
          } else if (c == '}' && state == S_KEY_OR_END) {
            close(true);
          } else {
            state = S_ERROR;
          }
          break;
        case S_COLON:
          state = c == ':' ? S_VALUE : S_ERROR;
          break;
        default:
          state = S_ERROR;
          break;
      }
      if (state >= S_STRING) {
        return i; // a scalar or an error: back to the scan loop
      }
    }
    return i;
  }

  /**
   * Fast path for a value nobody wants: skip it in place when it ends inside this chunk. Otherwise
   * leave i at its start and let the scalar states of the scan loop continue.
   */
  private int skipScalar(byte[] b, int i, int end) {
    if (state == S_STRING) {
      int q = i;
      while (true) {
        q = Bytes.indexOfQuoteOrBackslash(b, q, end);
        if (q + 1 < end && b[q] == '\\') {
          q += 2;
        } else {
          break;
        }
      }
      if (q < end && b[q] == '"') {
        state = S_AFTER_VALUE;
        return q + 1;
      }
      return i;
    }
    if (state == S_NUMBER) {
      for (int q = i; q < end; q++) {
        byte c = b[q];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
          state = S_AFTER_VALUE; // same character classes as the S_NUMBER state
          return q;
        }
      }
      return i;
    }
    if (state == S_LITERAL) {
      for (int q = i; q < end; q++) {
        byte c = b[q];
        if (c < 'a' || c > 'z') {
          state = S_AFTER_VALUE;
          return q;
        }
      }
      return i;
    }
    return i;
  }

  private void startValue(byte c) {
    if (c == '{' || c == '[') {
      open(c == '{');
      return;
    }
    int kind;
    if (c == '"') {
      kind = STRING;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      kind = NUMBER;
    } else if (c == 't') {
      kind = TRUE;
    } else if (c == 'f') {
      kind = FALSE;
    } else if (c == 'n') {
      kind = NULL;
    } else {
      state = S_ERROR;
      return;
    }
    inKey = false;
    scalarKind = kind;
    len = 0;
    truncated = false;
    valueBytes = 0;
    int want = handler.valueStart(this, kind);
    captureLimit = want <= 0 ? 0 : Math.min(want, MAX_CAPTURE);
    if (kind == STRING) {
      state = S_STRING;
    } else if (kind == NUMBER) {
      if (captureLimit > 0) {
        append(c);
      }
      state = S_NUMBER;
    } else {
      state = S_LITERAL;
    }
  }

  private void open(boolean object) {
    if (depth >= MAX_DEPTH) {
      state = S_ERROR;
      return;
    }
    depth++;
    int word = (depth - 1) >>> 6;
    long bit = 1L << ((depth - 1) & 63);
    if (word == 0) {
      objectBits0 = object ? objectBits0 | bit : objectBits0 & ~bit;
    } else {
      if (objectBits == null) {
        objectBits = new long[MAX_DEPTH / 64];
      }
      if (object) {
        objectBits[word] |= bit;
      } else {
        objectBits[word] &= ~bit;
      }
    }
    if (depth <= KEY_DEPTH) {
      keys[depth] = object ? Keys.UNKNOWN : Keys.ARRAY;
    }
    state = object ? S_KEY_OR_END : S_VALUE_OR_END;
    handler.containerStart(this, object);
  }

  private void close(boolean object) {
    handler.containerEnd(this, object);
    depth--;
    state = S_AFTER_VALUE;
  }

  private boolean isObject(int level) {
    int word = (level - 1) >>> 6;
    long bits = word == 0 ? objectBits0 : objectBits == null ? 0 : objectBits[word];
    return (bits & (1L << ((level - 1) & 63))) != 0;
  }

  private void endString() {
    if (inKey) {
      inKey = false;
      if (depth <= KEY_DEPTH) {
        keys[depth] = truncated ? Keys.UNKNOWN : Keys.lookup(buf, len);
      }
      if (reportKeys && !truncated && depth <= KEY_DEPTH) {
        handler.key(this, buf, 0, len);
      }
      captureLimit = 0;
      state = S_COLON;
      return;
    }
    endScalar();
  }

  private void endScalar() {
    int limit = captureLimit;
    captureLimit = 0;
    state = S_AFTER_VALUE;
    if (limit > 0) {
      handler.scalar(this, scalarKind, buf, len, truncated);
    }
  }

  private void append(byte c) {
    if (len < captureLimit) {
      if (len == buf.length) {
        byte[] bigger = new byte[Math.min(captureLimit, buf.length * 2)];
        System.arraycopy(buf, 0, bigger, 0, len);
        buf = bigger;
      }
      buf[len++] = c;
    } else {
      truncated = true;
    }
  }

  private void appendRange(byte[] b, int from, int count) {
    int n = Math.min(count, captureLimit - len);
    if (n < count) {
      truncated = true;
    }
    if (n <= 0) {
      return;
    }
    if (len + n > buf.length) {
      byte[] bigger = new byte[Math.min(captureLimit, Math.max(len + n, buf.length * 2))];
      System.arraycopy(buf, 0, bigger, 0, len);
      buf = bigger;
    }
    System.arraycopy(b, from, buf, len, n);
    len += n;
  }

  private void appendEscape(byte c) {
    switch (c) {
      case 'n':
        append((byte) '\n');
        break;
      case 't':
        append((byte) '\t');
        break;
      case 'r':
        append((byte) '\r');
        break;
      case 'b':
        append((byte) '\b');
        break;
      case 'f':
        append((byte) '\f');
        break;
      default:
        append(c); // \" \\ \/ and lenient for anything else
    }
  }

  /** Appends a UTF-16 code unit from a \\u escape as UTF-8, pairing surrogates. */
  private void appendCodeUnit(int unit) {
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      highSurrogate = unit;
      return;
    }
    int cp = unit;
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      if (highSurrogate == 0) {
        cp = 0xFFFD;
      } else {
        cp = 0x10000 + ((highSurrogate - 0xD800) << 10) + (unit - 0xDC00);
      }
    }
    highSurrogate = 0;
    if (cp < 0x80) {
      append((byte) cp);
    } else if (cp < 0x800) {
      append((byte) (0xC0 | (cp >> 6)));
      append((byte) (0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      append((byte) (0xE0 | (cp >> 12)));
      append((byte) (0x80 | ((cp >> 6) & 0x3F)));
      append((byte) (0x80 | (cp & 0x3F)));
    } else {
      append((byte) (0xF0 | (cp >> 18)));
      append((byte) (0x80 | ((cp >> 12) & 0x3F)));
      append((byte) (0x80 | ((cp >> 6) & 0x3F)));
      append((byte) (0x80 | (cp & 0x3F)));
    }
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Parses a captured JSON integer (a fraction or exponent is truncated); -1 when not a number. */
  public static long parseLong(byte[] b, int len) {
    long v = 0;
    int i = 0;
    boolean neg = false;
    if (len > 0 && b[0] == '-') {
      neg = true;
      i = 1;
    }
    if (i >= len || len > 19) {
      return -1;
    }
    for (; i < len; i++) {
      byte c = b[i];
      if (c < '0' || c > '9') {
        if (c == '.' || c == 'e' || c == 'E') {
          break;
        }
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return neg ? -v : v;
  }

  /** Parses a captured JSON number; NaN when malformed. */
  public static double parseDouble(byte[] b, int len) {
    try {
      return Double.parseDouble(new String(b, 0, len, StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
