package io.llmobserve.providers.body;

import io.llmobserve.providers.json.ByteSink;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a gzip or deflate body incrementally with a fixed output buffer and passes the plain
 * bytes downstream. The gzip header (with optional FEXTRA/FNAME/FCOMMENT/FHCRC) is parsed by a
 * small state machine so it may be split across chunks; the trailer is ignored. The native Inflater
 * is released by {@link #end} (and on any failure).
 *
 * <p>Work is bounded per body, so that a compressed body the client does not decode (a gzip bomb)
 * costs the app no more than reading it: inflation stops, for the rest of the body, when the
 * inflated bytes exceed {@link #RATIO_CAP} times the compressed bytes (after the first {@link
 * #RATIO_GRACE} inflated bytes; real JSON and SSE inflate 3-20x), or exceed {@link #BASE_BUDGET}
 * plus {@link #BUDGET_PER_COMPRESSED_BYTE} times the compressed bytes. {@link #stopReason()} then
 * says why.
 */
final class InflatingSink implements ByteSink {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  // gzip header states
  private static final int H_FIXED = 0;
  private static final int H_XLEN = 1;
  private static final int H_EXTRA = 2;
  private static final int H_NAME = 3;
  private static final int H_COMMENT = 4;
  private static final int H_CRC = 5;
  private static final int BODY = 6;
  private static final int DONE = 7;
  private static final int DEFLATE_SNIFF = 8;

  /** Stop reasons (span attribute llm.body.scan_stopped). */
  static final String STOP_RATIO = "inflate_ratio";

  static final String STOP_BUDGET = "inflate_budget";
  static final long RATIO_GRACE = 1L << 20;
  static final long RATIO_CAP = 200;
  static final long BASE_BUDGET = 16L << 20;
  static final long BUDGET_PER_COMPRESSED_BYTE = 32;

  private final ByteSink downstream;
  private long compressedIn;
  private long inflatedOut;
  private String stopReason;
  private Inflater inflater;
  private final byte[] out = new byte[8192];
  private int state;
  private int headerPos;
  private int flags;
  private int skip;
  private int xlen;

  InflatingSink(ByteSink downstream, boolean gzip) {
    this.downstream = downstream;
    this.state = gzip ? H_FIXED : DEFLATE_SNIFF;
  }

  @Override
  public void accept(byte[] b, int off, int length) {
    int i = off;
    int end = off + length;
    try {
      while (i < end && state != DONE) {
        switch (state) {
          case DEFLATE_SNIFF:
            // "deflate" is meant to be zlib-wrapped but some servers send raw deflate
            boolean zlib = (b[i] & 0x0F) == 8 && (((b[i] & 0xFF) >>> 4) <= 7);
            inflater = new Inflater(!zlib);
            state = BODY;
            break;
          case H_FIXED:
            {
              byte c = b[i++];
              if ((headerPos == 0 && c != (byte) 0x1f) || (headerPos == 1 && c != (byte) 0x8b)) {
                fail();
                return;
              }
              if (headerPos == 3) {
                flags = c & 0xFF;
              }
              if (++headerPos == 10) {
                state = nextHeaderState(H_FIXED);
              }
              break;
            }
          case H_XLEN:
            xlen |= (b[i++] & 0xFF) << (8 * skip);
            if (++skip == 2) {
              skip = xlen;
              state = skip == 0 ? nextHeaderState(H_EXTRA) : H_EXTRA;
            }
            break;
          case H_EXTRA:
            {
              int n = Math.min(skip, end - i);
              i += n;
              skip -= n;
              if (skip == 0) {
                state = nextHeaderState(H_EXTRA);
              }
              break;
            }
          case H_NAME:
          case H_COMMENT:
            if (b[i++] == 0) {
              state = nextHeaderState(state);
            }
            break;
          case H_CRC:
            i++;
            if (++skip == 2) {
              state = nextHeaderState(H_CRC);
            }
            break;
          case BODY:
            inflate(b, i, end - i);
            i = end;
            break;
          default:
            return;
        }
      }
    } catch (DataFormatException | RuntimeException e) {
      fail();
    }
  }

  private int nextHeaderState(int after) {
    skip = 0;
    if (after < H_XLEN && (flags & FEXTRA) != 0) {
      xlen = 0;
      return H_XLEN;
    }
    if (after < H_NAME && (flags & FNAME) != 0) {
      return H_NAME;
    }
    if (after < H_COMMENT && (flags & FCOMMENT) != 0) {
      return H_COMMENT;
    }
    if (after < H_CRC && (flags & FHCRC) != 0) {
      return H_CRC;
    }
    inflater = new Inflater(true);
    return BODY;
  }

  /** Why inflation stopped early (a bound was hit), or null. */
  String stopReason() {
    return stopReason;
  }

  private void inflate(byte[] b, int off, int len) throws DataFormatException {
    inflater.setInput(b, off, len);
    compressedIn += len;
    while (true) {
      int n = inflater.inflate(out, 0, out.length);
      if (n > 0) {
        inflatedOut += n;
        downstream.accept(out, 0, n);
        if (inflatedOut > RATIO_GRACE && inflatedOut > RATIO_CAP * compressedIn) {
          stop(STOP_RATIO);
          return;
        }
        if (inflatedOut > BASE_BUDGET + BUDGET_PER_COMPRESSED_BYTE * compressedIn) {
          stop(STOP_BUDGET);
          return;
        }
      }
      if (inflater.finished()) {
        release();
        state = DONE; // trailer (and any second gzip member) ignored
        return;
      }
      if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
        return;
      }
    }
  }

  private void stop(String reason) {
    stopReason = reason;
    release();
    state = DONE;
  }

  private void fail() {
    release();
    state = DONE;
  }

  private void release() {
    if (inflater != null) {
      inflater.end();
      inflater = null;
    }
  }

  @Override
  public void end() {
    release();
    state = DONE;
    downstream.end();
  }
}
