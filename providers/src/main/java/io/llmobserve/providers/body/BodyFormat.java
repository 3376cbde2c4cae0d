package io.llmobserve.providers.body;

import java.util.Locale;

/** Response body wire formats, decided from content-type (sniffed when it is missing). */
public final class BodyFormat {
  private BodyFormat() {}

  public static final int JSON = 0;
  public static final int SSE = 1;
  public static final int NDJSON = 2;
  public static final int AWS_EVENT_STREAM = 3;

  /** Not known yet: decided from the first body byte. */
  public static final int SNIFF = 4;

  public static int fromContentType(String contentType) {
    if (contentType == null || contentType.isEmpty()) {
      return SNIFF;
    }
    String ct = contentType.toLowerCase(Locale.ROOT);
    if (ct.contains("event-stream")) {
      return ct.contains("amazon") ? AWS_EVENT_STREAM : SSE;
    }
    if (ct.contains("ndjson") || ct.contains("jsonl") || ct.contains("json-seq")) {
      return NDJSON;
    }
    if (ct.contains("json")) {
      return JSON;
    }
    return SNIFF;
  }

  /** Guess from the first non-whitespace byte of the body. */
  public static int sniff(byte first) {
    if (first == '{' || first == '[') {
      return JSON; // the scanner also reads consecutive documents
    }
    if (first == 'd' || first == 'e' || first == ':' || first == 'i') {
      return SSE; // data:, event:, comment, id:
    }
    if (first == 0) {
      return AWS_EVENT_STREAM; // big-endian frame length starts with a zero byte
    }
    return JSON;
  }

  public static boolean isStreaming(int format) {
    return format == SSE || format == NDJSON || format == AWS_EVENT_STREAM;
  }
}
