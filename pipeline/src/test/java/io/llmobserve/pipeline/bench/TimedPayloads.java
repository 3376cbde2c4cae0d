package io.llmobserve.pipeline.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's load: a few template requests ({@link OtlpPayloads#mixedBatch}) replayed with
 * their span times moved on by 2 ms per request, so a run of any length needs the memory of the
 * templates only and event time keeps advancing (windows close during the run). The times are
 * patched in the protobuf bytes (fixed64 fields), and each request goes out over a plain keep-alive
 * HTTP/1.1 socket: the load generator must not take the CPU it measures (the JDK HttpClient took
 * ~12 % of the machine at line rate).
 */
final class TimedPayloads {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final long NANOS_PER_REQUEST = 2_000_000L;

  private final List<byte[]> templates = new ArrayList<>();
  private final List<int[]> timeOffsets = new ArrayList<>();
  private final long baseMillis;
  final int batch;

  /**
   * @param services templates are made per service (series keys = services x 4)
   * @param baseMillis end time of request 0's spans
   */
  TimedPayloads(int services, int batch, long baseMillis) {
    this.batch = batch;
    this.baseMillis = baseMillis;
    int n = Math.max(services, 32);
    for (int i = 0; i < n; i++) {
      byte[] t =
          OtlpPayloads.mixedBatch("bench-" + (i % services), batch, baseMillis).toByteArray();
      templates.add(t);
      timeOffsets.add(timeFields(t));
    }
  }

  int templateBytes(int i) {
    return templates.get(i % templates.size()).length;
  }

  /** Request {@code i}: template {@code i mod n}, its span times moved on by i x 2 ms. */
  byte[] request(long i, byte[] buf) {
    byte[] t = templates.get((int) (i % templates.size()));
    if (buf == null || buf.length != t.length) {
      buf = new byte[t.length];
    }
    System.arraycopy(t, 0, buf, 0, t.length);
    long shift = i * NANOS_PER_REQUEST;
    for (int off : timeOffsets.get((int) (i % templates.size()))) {
      LONG_LE.set(buf, off, (long) LONG_LE.get(buf, off) + shift);
    }
    return buf;
  }

  /** Where the start and end time (Span fields 7, 8: fixed64) of every span are. */
  static int[] timeFields(byte[] req) {
    List<Integer> out = new ArrayList<>();
    walk(req, 0, req.length, 0, out);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** depth 0 request, 1 ResourceSpans, 2 ScopeSpans, 3 Span. */
  private static void walk(byte[] b, int pos, int end, int depth, List<Integer> out) {
    while (pos < end) {
      long tag = 0;
      for (int shift = 0; ; shift += 7) {
        byte x = b[pos++];
        tag |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          break;
        }
      }
      int field = (int) (tag >>> 3);
      switch ((int) (tag & 7)) {
        case 0 -> {
          while (b[pos++] < 0) {}
        }
        case 1 -> {
          if (depth == 3 && (field == 7 || field == 8)) {
            out.add(pos);
          }
          pos += 8;
        }
        case 5 -> pos += 4;
        case 2 -> {
          int len = 0;
          for (int shift = 0; ; shift += 7) {
            byte x = b[pos++];
            len |= (x & 0x7f) << shift;
            if (x >= 0) {
              break;
            }
          }
          boolean child =
              (depth == 0 && field == 1)
                  || (depth == 1 && field == 2)
                  || (depth == 2 && field == 2);
          if (child) {
            walk(b, pos, pos + len, depth + 1, out);
          }
          pos += len;
        }
        default -> throw new IllegalArgumentException("unexpected wire type in " + tag);
      }
    }
  }

  long baseMillis() {
    return baseMillis;
  }

  /** One keep-alive HTTP/1.1 connection POSTing OTLP protobuf; reconnects when closed. */
  static final class Sender implements AutoCloseable {
    private final String host;
    private final int port;
    private final String path;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    Sender(String host, int port, String path) {
      this.host = host;
      this.port = port;
      this.path = path;
    }

    /**
     * @return the status, or -1 when the connection broke before an answer (retry)
     */
    int post(byte[] body) throws IOException {
      try {
        if (socket == null) {
          socket = new Socket(host, port);
          socket.setTcpNoDelay(true);
          out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
          in = new BufferedInputStream(socket.getInputStream(), 1 << 14);
        }
        out.write(
            ("POST "
                    + path
                    + " HTTP/1.1\r\nHost: "
                    + host
                    + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return readResponse();
      } catch (IOException e) {
        close();
        return -1;
      }
    }

    private int readResponse() throws IOException {
      String status = line();
      int code = Integer.parseInt(status.substring(9, 12));
      long length = 0;
      boolean chunked = false;
      boolean closes = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        String lower = h.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closes = true;
        }
      }
      if (chunked) {
        for (long n; (n = Long.parseLong(line().trim(), 16)) > 0; line()) {
          in.skipNBytes(n);
        }
        line();
      } else {
        in.skipNBytes(length);
      }
      if (closes) {
        close();
      }
      return code;
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }

    @Override
    public void close() {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }
}
