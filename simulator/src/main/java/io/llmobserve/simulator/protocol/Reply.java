package io.llmobserve.simulator.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fully planned response: status, headers and body segments, each written after its delay and
 * flushed.
 */
public final class Reply {
  /** Body bytes written (and flushed) {@code delayMs} after the previous segment. */
  public record Segment(long delayMs, byte[] bytes) {}

  public final int status;
  public final String contentType;
  public final boolean stream;
  public final Map<String, String> headers = new LinkedHashMap<>();
  public final List<Segment> segments = new ArrayList<>();
  public String requestId;
  public String responseId;
  public String finishReason;
  public String errorType;
  public String systemFingerprint;

  public Reply(int status, String contentType, boolean stream) {
    this.status = status;
    this.contentType = contentType;
    this.stream = stream;
  }

  public Reply header(String name, Object value) {
    if (value != null) {
      headers.put(name, String.valueOf(value));
    }
    return this;
  }

  public long totalDelayMs() {
    return segments.stream().mapToLong(Segment::delayMs).sum();
  }
}
