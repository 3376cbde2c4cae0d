package io.llmobserve.providers.body;

import io.llmobserve.providers.json.ByteSink;
import io.llmobserve.providers.json.JsonScanner;
import java.nio.charset.StandardCharsets;

/**
 * Reads the AWS event-stream binary framing (application/vnd.amazon.eventstream, Bedrock
 * converse-stream and invoke-with-response-stream): each frame is total length (4), headers length
 * (4), prelude CRC (4), headers, payload, message CRC (4). Payloads (JSON) stream into the scanner;
 * of the headers only :message-type and :exception-type are read (small copy). CRCs are not
 * verified: we observe, the client validates.
 */
final class AwsEventStreamDecoder implements ByteSink {
  private static final int PRELUDE = 0;
  private static final int HEADERS = 1;
  private static final int PAYLOAD = 2;
  private static final int CRC = 3;
  private static final int BROKEN = 4;
  private static final int MAX_FRAME = 16 * 1024 * 1024;
  private static final int HEADER_COPY = 512;

  private final JsonScanner scanner;
  private final ResponseBodyReader reader;
  private int state = PRELUDE;
  private final byte[] prelude = new byte[12];
  private int preludeLen;
  private final byte[] headers = new byte[HEADER_COPY];
  private int headersLen;
  private int headersRemaining;
  private int payloadRemaining;
  private int crcRemaining;

  AwsEventStreamDecoder(JsonScanner scanner, ResponseBodyReader reader) {
    this.scanner = scanner;
    this.reader = reader;
  }

  @Override
  public void accept(byte[] b, int off, int length) {
    int i = off;
    int end = off + length;
    while (i < end) {
      switch (state) {
        case PRELUDE:
          {
            int n = Math.min(12 - preludeLen, end - i);
            System.arraycopy(b, i, prelude, preludeLen, n);
            preludeLen += n;
            i += n;
            if (preludeLen == 12) {
              int total = readInt(prelude, 0);
              int headerLength = readInt(prelude, 4);
              if (total < 16
                  || total > MAX_FRAME
                  || headerLength < 0
                  || headerLength > total - 16) {
                state = BROKEN;
                break;
              }
              headersRemaining = headerLength;
              headersLen = 0;
              payloadRemaining = total - headerLength - 16;
              state = HEADERS;
              if (headersRemaining == 0) {
                startPayload();
              }
            }
            break;
          }
        case HEADERS:
          {
            int n = Math.min(headersRemaining, end - i);
            int copy = Math.min(n, HEADER_COPY - headersLen);
            System.arraycopy(b, i, headers, headersLen, copy);
            headersLen += copy;
            headersRemaining -= n;
            i += n;
            if (headersRemaining == 0) {
              startPayload();
            }
            break;
          }
        case PAYLOAD:
          {
            int n = Math.min(payloadRemaining, end - i);
            scanner.accept(b, i, n);
            payloadRemaining -= n;
            i += n;
            if (payloadRemaining == 0) {
              endPayload();
            }
            break;
          }
        case CRC:
          {
            int n = Math.min(crcRemaining, end - i);
            crcRemaining -= n;
            i += n;
            if (crcRemaining == 0) {
              preludeLen = 0;
              state = PRELUDE;
            }
            break;
          }
        default:
          return;
      }
    }
  }

  private void startPayload() {
    readHeaders();
    scanner.reset();
    state = PAYLOAD;
    if (payloadRemaining == 0) {
      endPayload();
    }
  }

  private void endPayload() {
    scanner.reset();
    crcRemaining = 4;
    state = CRC;
  }

  /** Header: name length (1), name, type (1), value; type 7 = string with 2-byte length. */
  private void readHeaders() {
    int p = 0;
    String messageType = null;
    String exceptionType = null;
    while (p < headersLen) {
      int nameLen = headers[p] & 0xFF;
      int nameStart = p + 1;
      int typePos = nameStart + nameLen;
      if (typePos >= headersLen) {
        return;
      }
      int type = headers[typePos];
      int valueLen;
      int valueStart = typePos + 1;
      switch (type) {
        case 0:
        case 1:
          valueLen = 0;
          break;
        case 2:
          valueLen = 1;
          break;
        case 3:
          valueLen = 2;
          break;
        case 4:
          valueLen = 4;
          break;
        case 5:
        case 8:
          valueLen = 8;
          break;
        case 9:
          valueLen = 16;
          break;
        case 6:
        case 7:
          if (valueStart + 2 > headersLen) {
            return;
          }
          valueLen = ((headers[valueStart] & 0xFF) << 8) | (headers[valueStart + 1] & 0xFF);
          valueStart += 2;
          break;
        default:
          return;
      }
      if (valueStart + valueLen > headersLen) {
        return;
      }
      if (type == 7) {
        if (nameIs(nameStart, nameLen, ":message-type")) {
          messageType = new String(headers, valueStart, valueLen, StandardCharsets.UTF_8);
        } else if (nameIs(nameStart, nameLen, ":exception-type")) {
          exceptionType = new String(headers, valueStart, valueLen, StandardCharsets.UTF_8);
        }
      }
      p = valueStart + valueLen;
    }
    if ("exception".equals(messageType) && exceptionType != null) {
      reader.streamError(exceptionType);
    }
  }

  private boolean nameIs(int start, int len, String name) {
    if (len != name.length()) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (headers[start + k] != name.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static int readInt(byte[] b, int p) {
    return ((b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  @Override
  public void end() {}
}
