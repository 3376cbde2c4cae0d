package io.llmobserve.simulator.http;

import io.llmobserve.simulator.protocol.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The exact bytes each body write will put on the wire (gzip applied per segment with SYNC_FLUSH so
 * every chunk is decodable as soon as it arrives), with digests of both the decoded and the wire
 * body.
 */
final class WirePlan {
  final List<byte[]> wireSegments = new ArrayList<>();
  final String decodedSha256;
  final String wireSha256;
  final long decodedBytes;
  final long wireBytes;
  final boolean gzip;

  WirePlan(Reply reply, boolean gzip) {
    this.gzip = gzip;
    MessageDigest decoded = sha256();
    MessageDigest wire = sha256();
    long dLen = 0;
    long wLen = 0;
    try {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      GZIPOutputStream gz = gzip ? new GZIPOutputStream(sink, 8192, true) : null;
      for (int i = 0; i < reply.segments.size(); i++) {
        byte[] plain = reply.segments.get(i).bytes();
        decoded.update(plain);
        dLen += plain.length;
        byte[] out;
        if (gz != null) {
          gz.write(plain);
          if (i == reply.segments.size() - 1) {
            gz.finish();
          } else {
            gz.flush();
          }
          out = sink.toByteArray();
          sink.reset();
        } else {
          out = plain;
        }
        wire.update(out);
        wLen += out.length;
        wireSegments.add(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.decodedSha256 = HexFormat.of().formatHex(decoded.digest());
    this.wireSha256 = HexFormat.of().formatHex(wire.digest());
    this.decodedBytes = dLen;
    this.wireBytes = wLen;
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
