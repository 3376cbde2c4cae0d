package io.llmobserve.simulator.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * AWS event-stream framing (application/vnd.amazon.eventstream), as Bedrock streams use: total
 * length, headers length, prelude CRC32, string headers, payload, message CRC32.
 */
public final class EventStreamEncoder {
  private static final byte STRING_TYPE = 7;

  private EventStreamEncoder() {}

  /** An event message with the usual Bedrock headers. */
  public static byte[] event(String eventType, byte[] payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", eventType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return message(headers, payload);
  }

  public static byte[] message(Map<String, String> headers, byte[] payload) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    headers.forEach(
        (name, value) -> {
          byte[] n = name.getBytes(StandardCharsets.UTF_8);
          byte[] v = value.getBytes(StandardCharsets.UTF_8);
          h.write(n.length);
          h.writeBytes(n);
          h.write(STRING_TYPE);
          h.write((v.length >>> 8) & 0xff);
          h.write(v.length & 0xff);
          h.writeBytes(v);
        });
    byte[] hb = h.toByteArray();
    int total = 4 + 4 + 4 + hb.length + payload.length + 4;
    ByteBuffer buf = ByteBuffer.allocate(total);
    buf.putInt(total);
    buf.putInt(hb.length);
    buf.putInt((int) crc(buf.array(), 0, 8));
    buf.put(hb);
    buf.put(payload);
    buf.putInt((int) crc(buf.array(), 0, total - 4));
    return buf.array();
  }

  private static long crc(byte[] b, int off, int len) {
    CRC32 c = new CRC32();
    c.update(b, off, len);
    return c.getValue();
  }
}
