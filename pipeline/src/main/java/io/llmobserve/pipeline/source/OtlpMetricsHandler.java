package io.llmobserve.pipeline.source;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * POST /v1/metrics of the embedded receiver: OTLP ExportMetricsServiceRequest (protobuf, or
 * JSON), gzip accepted, handed to the job's metrics queue as protobuf bytes (the job reads the
 * agent's in-flight metrics from it, see OtlpMetricsDecoder). Answers like /v1/traces: 200, 400
 * malformed (forwarded so the job counts it), 413 too large, 415 other types, 503 when the
 * queue stays full (OTLP exporters retry). Kept apart from OtlpReceiver: the server is shared,
 * the handling is not.
 */
public final class OtlpMetricsHandler implements HttpHandler {
  private static final byte[] EMPTY_RESPONSE = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();

  private final BlockingQueue<byte[]> queue;
  private final int maxBodyBytes;
  private final long offerTimeoutMillis;

  public final AtomicLong accepted = new AtomicLong();
  public final AtomicLong malformed = new AtomicLong();

  public OtlpMetricsHandler(BlockingQueue<byte[]> queue, int maxBodyBytes, long offerTimeoutMillis) {
    this.queue = queue;
    this.maxBodyBytes = maxBodyBytes;
    this.offerTimeoutMillis = offerTimeoutMillis;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        respond(ex, 405, "text/plain", "POST only\n");
        return;
      }
      byte[] body = readBody(ex);
      if (body == null) {
        respond(ex, 413, "text/plain", "body exceeds " + maxBodyBytes + " bytes\n");
        return;
      }
      String type = contentType(ex);
      byte[] proto;
      if (type.equals("application/x-protobuf") || type.equals("application/protobuf") || type.isEmpty()) {
        try {
          ExportMetricsServiceRequest.parseFrom(body);
          proto = body;
        } catch (InvalidProtocolBufferException e) {
          reject(ex, body, "malformed protobuf ExportMetricsServiceRequest");
          return;
        }
      } else if (type.equals("application/json")) {
        try {
          ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
          JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), b);
          proto = b.build().toByteArray();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
          reject(ex, new byte[] {(byte) 0xff}, "malformed OTLP JSON: " + e.getMessage());
          return;
        }
      } else {
        respond(ex, 415, "text/plain", "unsupported content type " + type + "\n");
        return;
      }
      if (!queue.offer(proto, offerTimeoutMillis, TimeUnit.MILLISECONDS)) {
        ex.getResponseHeaders().add("Retry-After", "1");
        respond(ex, 503, "text/plain", "pipeline busy, retry\n");
        return;
      }
      accepted.incrementAndGet();
      if (type.equals("application/json")) {
        respond(ex, 200, "application/json", "{}");
      } else {
        send(ex, 200, "application/x-protobuf", EMPTY_RESPONSE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(ex, 503, "text/plain", new byte[0]);
    } catch (IOException | RuntimeException e) {
      respond(ex, 400, "text/plain", "bad request: " + e.getMessage() + "\n");
    }
  }

  private void reject(HttpExchange ex, byte[] forward, String message) throws IOException {
    malformed.incrementAndGet();
    queue.offer(forward); // best effort: the job counts it; never block a bad client
    respond(ex, 400, "text/plain", message + "\n");
  }

  /** null when larger than the limit (decompressed size included). */
  private byte[] readBody(HttpExchange ex) throws IOException {
    InputStream in = ex.getRequestBody();
    if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    try (InputStream body = in) {
      byte[] data = body.readNBytes(maxBodyBytes + 1);
      if (data.length > maxBodyBytes) {
        ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
        return null;
      }
      return data;
    }
  }

  private static String contentType(HttpExchange ex) {
    String t = ex.getRequestHeaders().getFirst("Content-Type");
    if (t == null) {
      return "";
    }
    int semi = t.indexOf(';');
    return (semi >= 0 ? t.substring(0, semi) : t).strip().toLowerCase(Locale.ROOT);
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    ex.close();
  }
}
