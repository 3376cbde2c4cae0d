package io.llmobserve.providers.json;

import io.llmobserve.providers.usage.ByteArrayPool;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental JSON scanner: a state machine over bytes that can be fed in arbitrary chunk splits
 * (inside strings, escapes, numbers, literals). It tracks container depth and, for the shallow
 * levels, the key of every level as a {@link Keys} id, and materialises only the values its {@link
 * JsonHandler} asks for, up to a per-value cap. Its state is O(1) in the input size: a bit per open
 * container (up to {@link #MAX_DEPTH}), the keys of the shallow levels in four longs, and one
 * capture buffer, held only while a value is being captured (see {@link #SPARE}).
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
  // the key id of levels 1..KEY_DEPTH, 16 bits each, four levels per long (no array per scanner)
  private long keys0;
  private long keys1;
  private long keys2;
  private long keys3;

  private boolean inKey;
  private int scalarKind;
  private int captureLimit;
  // the capture buffer: null between captures, borrowed from the thread's spare (see SPARE)
  private byte[] buf;
  private int len;
  private boolean truncated;
  private int unicodeDigits;
  private int unicodeValue;
  private int highSurrogate;
  private long valueBytes;

  // ---- repeated prefix (see setSkipRepeatedPrefix)
  /** Longest document prefix kept for comparison with the next document. */
  static final int MAX_PREFIX = 512;

  private Repeat repeat; // null unless setSkipRepeatedPrefix(true): most bodies are not streams
  private boolean recording; // every handler effect of this document so far is repeatable

  /** What a document keeps for the next one to compare with. */
  private static final class Repeat {
    boolean docStarted; // bytes of the current document arrived since the last reset
    int docBase; // bytes of the current document before the current chunk...
    int chunkOff; // ...which start at this index of the chunk
    byte[] prefix; // the document's first bytes (pooled, given back at end())
    int prefixLen;
    int snapLen; // a document starting with prefix[0, snapLen) resumes in the state below
    int snapState;
    int snapDepth;
    long snapObjectBits;
    long snapKeys0;
    long snapKeys1;
    long snapKeys2;
    long snapKeys3;
    long skippedBytes;
  }

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
   * Skip what a document repeats of the previous one (SSE events, documents delimited by {@link
   * #reset}): a streamed chat sends every event with the same id, model and fingerprint, and only
   * the text delta after them differs. While the handler's effects on a document are repeatable
   * ({@link JsonHandler#repeatableCapture}; container and key callbacks must be), the scanner keeps
   * its first bytes and, at each value start, its state; a next document whose first bytes are the
   * same resumes in that state at that point, without scanning them or calling the handler. So the
   * handler sees each non-repeatable value exactly as without the skip.
   */
  public void setSkipRepeatedPrefix(boolean skip) {
    if (skip && repeat == null) {
      repeat = new Repeat();
    } else if (!skip) {
      end();
      repeat = null;
    }
  }

  /** Bytes not scanned because a document repeated the previous one's (tests, benchmarks). */
  public long skippedBytes() {
    return repeat == null ? 0 : repeat.skippedBytes;
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
    if (repeat != null) {
      repeat.docStarted = false;
    }
    recording = false;
    state = S_VALUE;
    depth = 0;
    inKey = false;
    len = 0;
    captureLimit = 0;
    if (buf != null && buf.length > MAX_SPARE) {
      buf = null; // do not retain a big content capture buffer between documents
    }
  }

  /** Open containers around the current position (0 = top level). */
  public int depth() {
    return depth;
  }

  /** The key ({@link Keys} id) at container level 1..depth(), {@link Keys#ARRAY} in arrays. */
  public int keyAt(int level) {
    if (level < 1 || level > KEY_DEPTH || level > depth) {
      return Keys.UNKNOWN;
    }
    int index = level - 1;
    long word;
    switch (index >>> 2) {
      case 0:
        word = keys0;
        break;
      case 1:
        word = keys1;
        break;
      case 2:
        word = keys2;
        break;
      default:
        word = keys3;
    }
    return (short) (word >>> ((index & 3) << 4)); // ids are small; UNKNOWN/ARRAY sign-extend back
  }

  /** Records the key id of a level 1..KEY_DEPTH. */
  private void setKey(int level, int id) {
    int index = level - 1;
    int shift = (index & 3) << 4;
    long mask = ~(0xFFFFL << shift);
    long bits = ((long) id & 0xFFFFL) << shift;
    switch (index >>> 2) {
      case 0:
        keys0 = (keys0 & mask) | bits;
        break;
      case 1:
        keys1 = (keys1 & mask) | bits;
        break;
      case 2:
        keys2 = (keys2 & mask) | bits;
        break;
      default:
        keys3 = (keys3 & mask) | bits;
    }
  }

  public boolean isError() {
    return state == S_ERROR;
  }

  /** Bytes the scanner holds on to, for bounded-memory assertions. */
  public int retainedBytes() {
    return (buf == null ? 0 : buf.length)
        + 8
        + (objectBits == null ? 0 : objectBits.length * 8)
        + 32;
  }

  /** No more bytes: the kept prefix goes back to the pool. */
  @Override
  public void end() {
    recording = false;
    Repeat r = repeat;
    if (r != null) {
      byte[] p = r.prefix;
      r.prefix = null;
      r.prefixLen = 0;
      r.snapLen = 0;
      ByteArrayPool.give(p);
    }
  }

  @Override
  public void accept(byte[] b, int off, int length) {
    try {
      Repeat r = repeat;
      if (r != null) {
        int skip = startChunk(r, b, off, length);
        scan(b, off + skip, length - skip);
        if (recording) {
          keepPrefix(r, b, r.docBase + (off + length - r.chunkOff));
        }
        r.docBase += off + length - r.chunkOff;
      } else {
        scan(b, off, length);
      }
    } catch (RuntimeException e) {
      state = S_ERROR; // defensive: a handler bug must not escape into the app
      recording = false;
    }
    if (buf != null && captureLimit == 0) {
      releaseBuffer(); // no value open across the chunk boundary: the thread's spare takes it back
    }
  }

  /**
   * Positions the chunk in the current document; at a document's start, resumes past the bytes it
   * repeats of the previous document (when they are all in this chunk). Returns the bytes skipped.
   */
  private int startChunk(Repeat r, byte[] b, int off, int length) {
    r.chunkOff = off;
    if (r.docStarted) {
      return 0;
    }
    r.docStarted = true;
    r.docBase = 0;
    int n = r.snapLen;
    if (n > 0
        && length >= n
        && state == S_VALUE
        && depth == 0
        && Arrays.equals(b, off, off + n, r.prefix, 0, n)) {
      state = r.snapState;
      depth = r.snapDepth;
      objectBits0 = r.snapObjectBits;
      keys0 = r.snapKeys0;
      keys1 = r.snapKeys1;
      keys2 = r.snapKeys2;
      keys3 = r.snapKeys3;
      r.prefixLen = n; // what follows may differ from the previous document's
      recording = true;
      r.skippedBytes += n;
      r.chunkOff = off + n;
      r.docBase = n;
      return n;
    }
    r.snapLen = 0;
    r.prefixLen = 0;
    recording = true;
    return 0;
  }

  /** Keeps the current document's bytes up to {@code docEnd} (capped) as the prefix. */
  private void keepPrefix(Repeat r, byte[] b, int docEnd) {
    int to = Math.min(docEnd, MAX_PREFIX);
    if (to <= r.prefixLen) {
      return;
    }
    if (r.prefixLen < r.docBase) {
      recording = false; // a gap: some bytes of this document were not kept
      return;
    }
    if (r.prefix == null) {
      r.prefix = ByteArrayPool.take(MAX_PREFIX);
    }
    System.arraycopy(
        b, r.chunkOff + (r.prefixLen - r.docBase), r.prefix, r.prefixLen, to - r.prefixLen);
    r.prefixLen = to;
  }

  /**
   * A value starts at index {@code i} of the chunk: note the state there, so that the next document
   * can resume here if its bytes up to here are this one's.
   */
  private void snapshot(byte[] b, int i) {
    Repeat r = repeat;
    int pos = r.docBase + (i - r.chunkOff);
    if (depth < 1 || depth > 64 || pos > MAX_PREFIX) {
      recording = depth < 1 && pos == 0; // the root value itself: nothing to skip yet
      return;
    }
    keepPrefix(r, b, pos);
    if (!recording) {
      return;
    }
    r.snapLen = pos;
    r.snapState = state;
    r.snapDepth = depth;
    r.snapObjectBits = objectBits0;
    r.snapKeys0 = keys0;
    r.snapKeys1 = keys1;
    r.snapKeys2 = keys2;
    r.snapKeys3 = keys3;
  }

  /** Largest capture buffer a thread keeps as its spare (and a scanner keeps between documents). */
  static final int MAX_SPARE = 1024;

  private static final byte[] EMPTY = new byte[0];

  /**
   * One spare capture buffer per thread (at most {@link #MAX_SPARE} bytes), so that a call's
   * scanners do not each allocate one: a scanner takes it when a value starts being captured and
   * gives it back at the end of the chunk ({@link #accept}) unless a value is still open across the
   * chunk boundary, in which case it keeps it (exclusively, whatever thread feeds the next chunk)
   * until a later chunk ends with no value open. While taken, the thread's slot is empty: another
   * scanner on that thread (a nested one) allocates its own. So a buffer is only ever used by one
   * scanner at a time, a call abandoned mid-value just keeps its buffer until it is collected, and
   * the spare never holds a value across calls that anyone reads: every capture starts at length 0
   * and handlers only read {@code [0, len)}.
   */
  private static final ThreadLocal<byte[][]> SPARE = new ThreadLocal<>();

  /** The length of this thread's spare capture buffer, 0 when it has none (tests). */
  static int spareLength() {
    byte[][] slot = SPARE.get();
    return slot == null || slot[0] == null ? 0 : slot[0].length;
  }

  private static byte[] borrowBuffer() {
    byte[][] slot = SPARE.get();
    if (slot != null) {
      byte[] b = slot[0];
      if (b != null) {
        slot[0] = null;
        return b;
      }
    }
    return new byte[64];
  }

  private void releaseBuffer() {
    byte[] b = buf;
    buf = null;
    len = 0;
    if (b.length > MAX_SPARE) {
      return;
    }
    byte[][] slot = SPARE.get();
    if (slot == null) {
      slot = new byte[1][];
      SPARE.set(slot);
    }
    if (slot[0] == null || slot[0].length < b.length) {
      slot[0] = b;
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
            if (recording) {
              snapshot(b, i - 1);
            }
            startValue(c);
            if (recording && captureLimit > 0 && !handler.repeatableCapture()) {
              recording = false; // the next document may skip up to this value, not past it
            }
            if (captureLimit == 0) {
              i = skipScalar(b, i, end);
            }
          }
          break;
        case S_AFTER_VALUE:
          if (depth == 0) {
            recording = false; // only the first value of a document is kept
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
                setKey(depth, Keys.lookup(b, i, q - i, h));
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
      setKey(depth, object ? Keys.UNKNOWN : Keys.ARRAY);
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
        setKey(depth, truncated ? Keys.UNKNOWN : Keys.lookup(captured(), len));
      }
      if (reportKeys && !truncated && depth <= KEY_DEPTH) {
        handler.key(this, captured(), 0, len);
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
      handler.scalar(this, scalarKind, captured(), len, truncated);
    }
  }

  /** The capture buffer for a handler (never null: an empty capture may have none). */
  private byte[] captured() {
    return buf != null ? buf : EMPTY;
  }

  private void append(byte c) {
    if (len < captureLimit) {
      if (buf == null) {
        buf = borrowBuffer();
      }
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
    if (buf == null) {
      buf = borrowBuffer();
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
