package io.llmobserve.pipeline.decode;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.StringCache;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An ExportTraceServiceRequest's wire bytes straight to its LLM calls, the same calls {@link
 * OtlpDecoder#decode(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest, Consumer,
 * Consumer)} gives after protobuf-java's parse, without building the request's object tree: only
 * the fields a call is made of are read, an attribute outside the {@link SpanMapper#relevant}
 * namespaces is skipped without decoding its key's or value's text, and a non-LLM span costs one
 * walk over its bytes. Protobuf's rules hold: fields in any order, a field with an unexpected wire
 * type is unknown and skipped, a repeated scalar field keeps its last value, a repeated message
 * field merges (array values concatenate). The bytes are expected to have passed {@link
 * io.llmobserve.pipeline.limits.OtlpWireScanner} (structure, UTF-8, limits); anything else still
 * fails cleanly with {@link Malformed}.
 */
public final class WireSpanDecoder {
  private WireSpanDecoder() {}

  /** The bytes are not a well-formed request. */
  public static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed() {
      super("malformed ExportTraceServiceRequest", null, false, false);
    }
  }

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;
  private static final int FIXED32 = 5;

  private static final int SPAN_KIND_CLIENT = 3;
  private static final int STATUS_CODE_ERROR = 2;

  private static final byte[] SERVICE_NAME = "service.name".getBytes(StandardCharsets.UTF_8);

  /**
   * Emits every call of the request, reports every other span's reason; returns the number of
   * spans. Nothing is emitted when the request turns out malformed (it throws first: calls are
   * handed out only after the whole request is read).
   */
  public static long decode(byte[] b, Consumer<LlmSpan> calls, Consumer<SpanMapper.Skip> skipped) {
    return decode(b, null, calls, skipped);
  }

  /**
   * @param strings where keys and values are decoded through (the same instance for the same
   *     bytes), or null for fresh Strings
   */
  public static long decode(
      byte[] b, StringCache strings, Consumer<LlmSpan> calls, Consumer<SpanMapper.Skip> skipped) {
    Walk w = new Walk(b, strings);
    w.request(0, b.length);
    for (LlmSpan c : w.calls) {
      calls.accept(c);
    }
    for (SpanMapper.Skip s : w.skips) {
      skipped.accept(s);
    }
    return w.spans;
  }

  /** One pass over one request. */
  private static final class Walk {
    final byte[] b;
    int pos;
    long spans;
    final java.util.List<LlmSpan> calls = new java.util.ArrayList<>();
    final java.util.List<SpanMapper.Skip> skips = new java.util.ArrayList<>();
    final SpanMapper.Skip[] skip = new SpanMapper.Skip[1];
    final SpanMapper.Value value = new SpanMapper.Value();

    // the field just read by next(): number, wire type, and for LEN its bounds
    int field;
    int wire;
    int from;
    int to;

    final StringCache strings;

    Walk(byte[] b, StringCache strings) {
      this.b = b;
      this.strings = strings;
    }

    void request(int start, int end) {
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 1 && wire == LEN) {
          int save = pos;
          resourceSpans(from, to);
          pos = save;
        }
      }
    }

    void resourceSpans(int start, int end) {
      // The resource (service.name) may come after the spans: find it first.
      String service = null;
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 1 && wire == LEN && service == null) {
          int save = pos;
          service = serviceName(from, to);
          pos = save;
        }
      }
      if (service == null) {
        service = "unknown_service";
      }
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 2 && wire == LEN) {
          int save = pos;
          scopeSpans(from, to, service);
          pos = save;
        }
      }
    }

    /** The first service.name attribute's string value (OtlpDecoder.serviceName), or null. */
    String serviceName(int start, int end) {
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 1 && wire == LEN) {
          int save = pos;
          int kvFrom = from;
          int kvTo = to;
          if (keyEquals(kvFrom, kvTo, SERVICE_NAME)) {
            readValue(kvFrom, kvTo);
            return value.stringValue();
          }
          pos = save;
        }
      }
      return null;
    }

    void scopeSpans(int start, int end, String service) {
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 2 && wire == LEN) {
          int save = pos;
          span(from, to, service);
          pos = save;
        }
      }
    }

    void span(int start, int end, String service) {
      spans++;
      LlmSpan s = null;
      boolean genai = false;
      int kind = 0;
      long startNanos = 0;
      long endNanos = 0;
      boolean statusError = false;
      pos = start;
      while (pos < end) {
        next(end);
        switch ((field << 3) | wire) {
          case (6 << 3) | VARINT -> kind = (int) lastVarint;
          case (7 << 3) | FIXED64 -> startNanos = lastFixed64;
          case (8 << 3) | FIXED64 -> endNanos = lastFixed64;
          case (9 << 3) | LEN -> {
            int save = pos;
            int kvFrom = from;
            int kvTo = to;
            String key = relevantKey(kvFrom, kvTo);
            if (key != null) {
              if (s == null) {
                s = new LlmSpan();
              }
              readValue(kvFrom, kvTo);
              genai |= SpanMapper.apply(s, key, value);
            }
            pos = save;
          }
          case (15 << 3) | LEN -> {
            int save = pos;
            int code = statusCode(from, to);
            if (code >= 0) {
              statusError = code == STATUS_CODE_ERROR;
            }
            pos = save;
          }
          default -> {}
        }
      }
      LlmSpan call =
          SpanMapper.finish(
              s, genai, service, kind == SPAN_KIND_CLIENT, startNanos, endNanos, statusError, skip);
      if (call != null) {
        calls.add(call);
      } else {
        skips.add(skip[0]);
      }
    }

    /** Status.code (last one wins), or -1 when absent from this occurrence. */
    int statusCode(int start, int end) {
      int code = -1;
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 3 && wire == VARINT) {
          code = (int) lastVarint;
        }
      }
      return code;
    }

    /** The KeyValue's key when it is in a relevant namespace, else null (its text never read). */
    String relevantKey(int start, int end) {
      int keyFrom = -1;
      int keyTo = -1;
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 1 && wire == LEN) {
          keyFrom = from;
          keyTo = to;
        }
      }
      if (keyFrom < 0 || !relevantPrefix(keyFrom, keyTo)) {
        return null;
      }
      return text(keyFrom, keyTo);
    }

    boolean relevantPrefix(int from, int to) {
      return startsWith(from, to, "gen_ai.")
          || startsWith(from, to, "llm.")
          || startsWith(from, to, "server.")
          || startsWith(from, to, "http.")
          || startsWith(from, to, "error.")
          || startsWith(from, to, "openai.");
    }

    boolean startsWith(int from, int to, String ascii) {
      int n = ascii.length();
      if (to - from < n) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (b[from + i] != ascii.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    boolean keyEquals(int start, int end, byte[] key) {
      int keyFrom = -1;
      int keyTo = -1;
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 1 && wire == LEN) {
          keyFrom = from;
          keyTo = to;
        }
      }
      return keyFrom >= 0 && java.util.Arrays.equals(b, keyFrom, keyTo, key, 0, key.length);
    }

    /** The KeyValue's value (every occurrence merged, as protobuf does) into {@link #value}. */
    void readValue(int start, int end) {
      value.other();
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 2 && wire == LEN) {
          int save = pos;
          anyValue(from, to);
          pos = save;
        }
      }
    }

    void anyValue(int start, int end) {
      pos = start;
      while (pos < end) {
        next(end);
        switch ((field << 3) | wire) {
          case (1 << 3) | LEN -> value.string(text(from, to));
          case (2 << 3) | VARINT -> value.bool(lastVarint != 0);
          case (3 << 3) | VARINT -> value.integer(lastVarint);
          case (4 << 3) | FIXED64 -> value.dbl(Double.longBitsToDouble(lastFixed64));
          case (5 << 3) | LEN -> {
            if (value.kind != SpanMapper.Value.Kind.ARRAY) {
              value.array();
            }
            int save = pos;
            arrayElements(from, to);
            pos = save;
          }
          case (6 << 3) | LEN, (7 << 3) | LEN -> value.other();
          default -> {}
        }
      }
    }

    /** ArrayValue.values: each element's string value ("" when not a string). */
    void arrayElements(int start, int end) {
      pos = start;
      while (pos < end) {
        next(end);
        if (field == 1 && wire == LEN) {
          int save = pos;
          value.elements.add(elementString(from, to));
          pos = save;
        }
      }
    }

    String elementString(int start, int end) {
      String s = "";
      pos = start;
      while (pos < end) {
        next(end);
        switch ((field << 3) | wire) {
          case (1 << 3) | LEN -> s = text(from, to);
          // another kind of value replaces the string (oneof)
          case (2 << 3) | VARINT,
              (3 << 3) | VARINT,
              (4 << 3) | FIXED64,
              (5 << 3) | LEN,
              (6 << 3) | LEN,
              (7 << 3) | LEN ->
              s = "";
          default -> {}
        }
      }
      return s;
    }

    String text(int from, int to) {
      return strings != null
          ? strings.decode(b, from, to)
          : new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    long lastVarint;
    long lastFixed64;

    /** Reads one field's tag and value (or bounds, for LEN) and moves past it. */
    void next(int end) {
      long tag = varint(end);
      field = (int) (tag >>> 3);
      wire = (int) (tag & 7);
      if (field <= 0 || (tag >>> 3) > 0x1fffffff) {
        throw new Malformed();
      }
      switch (wire) {
        case VARINT -> lastVarint = varint(end);
        case FIXED64 -> {
          if (end - pos < 8) {
            throw new Malformed();
          }
          long v = 0;
          for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[pos + i] & 0xffL);
          }
          lastFixed64 = v;
          pos += 8;
        }
        case FIXED32 -> {
          if (end - pos < 4) {
            throw new Malformed();
          }
          pos += 4;
        }
        case LEN -> {
          long len = varint(end);
          if (len < 0 || len > end - pos) {
            throw new Malformed();
          }
          from = pos;
          to = pos + (int) len;
          pos = to;
        }
        default -> throw new Malformed();
      }
    }

    long varint(int end) {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new Malformed();
        }
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new Malformed();
    }
  }
}
