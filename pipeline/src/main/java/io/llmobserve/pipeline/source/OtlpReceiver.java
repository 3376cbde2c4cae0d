package io.llmobserve.pipeline.source;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The embedded OTLP/HTTP receiver: POST /v1/traces (application/x-protobuf, or
 * application/json), gzip accepted. Well-formed requests are handed to the job as protobuf
 * bytes. Answers: 200 (with an empty ExportTraceServiceResponse), 400 malformed, 413 too
 * large, 415 other content types, 503 when the job does not keep up (OTLP clients retry).
 * /v1/metrics and /v1/logs answer 200 and are discarded so an agent pointed here stays quiet.
 * Malformed requests are also forwarded as-is so the job counts them in
 * llm_pipeline_malformed_requests_total with every other metric.
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final byte[] EMPTY_RESPONSE = ExportTraceServiceResponse.getDefaultInstance().toByteArray();

  private final HttpServer server;
  private final ExecutorService executor;
  private final BlockingQueue<byte[]> queue;
  private final int maxBodyBytes;
  private final long offerTimeoutMillis;

  public final AtomicLong accepted = new AtomicLong();
  public final AtomicLong malformed = new AtomicLong();
  public final AtomicLong tooLarge = new AtomicLong();
  public final AtomicLong overloaded = new AtomicLong();

  public OtlpReceiver(String host, int port, BlockingQueue<byte[]> queue, int maxBodyBytes, long offerTimeoutMillis)
      throws IOException {
    this.queue = queue;
    this.maxBodyBytes = maxBodyBytes;
    this.offerTimeoutMillis = offerTimeoutMillis;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/v1/traces", this::traces);
    server.createContext("/v1/metrics", this::discard);
    server.createContext("/v1/logs", this::discard);
    server.createContext("/", ex -> respond(ex, 404, "text/plain", "POST OTLP traces to /v1/traces\n".getBytes(StandardCharsets.UTF_8)));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void traces(HttpExchange ex) throws IOException {
    boolean received = false;
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        respond(ex, 405, "text/plain", "POST only\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] body = readBody(ex);
      if (body == null) {
        tooLarge.incrementAndGet();
        respond(ex, 413, "text/plain", ("body exceeds " + maxBodyBytes + " bytes\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      // Received, not yet queued: event time must not move on while we parse (ReceiverQueues).
      ReceiverQueues.requestReceived(queue);
      received = true;
      String type = contentType(ex);
      byte[] proto;
      if (type.equals("application/x-protobuf") || type.equals("application/protobuf") || type.isEmpty()) {
        proto = body;
        if (!isValid(proto)) {
          rejectMalformed(ex, body, "malformed protobuf ExportTraceServiceRequest");
          return;
        }
      } else if (type.equals("application/json")) {
        try {
          ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
          JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), b);
          proto = b.build().toByteArray();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
          rejectMalformed(ex, new byte[] {(byte) 0xff}, "malformed OTLP JSON: " + e.getMessage());
          return;
        }
      } else {
        respond(ex, 415, "text/plain", ("unsupported content type " + type + "\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!queue.offer(proto, offerTimeoutMillis, TimeUnit.MILLISECONDS)) {
        overloaded.incrementAndGet();
        ex.getResponseHeaders().add("Retry-After", "1");
        respond(ex, 503, "text/plain", "pipeline busy, retry\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      accepted.incrementAndGet();
      respond(ex, 200, type.equals("application/json") ? "application/json" : "application/x-protobuf",
          type.equals("application/json") ? "{}".getBytes(StandardCharsets.UTF_8) : EMPTY_RESPONSE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(ex, 503, "text/plain", new byte[0]);
    } catch (IOException | RuntimeException e) {
      respond(ex, 400, "text/plain", ("bad request: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
    } finally {
      if (received) {
        ReceiverQueues.requestDone(queue);
      }
    }
  }

  private void rejectMalformed(HttpExchange ex, byte[] forward, String message) throws IOException {
    malformed.incrementAndGet();
    queue.offer(forward); // best effort: the job counts it; never block a bad client
    respond(ex, 400, "text/plain", (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isValid(byte[] proto) {
    try {
      ExportTraceServiceRequest.parseFrom(proto);
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  private void discard(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    respond(ex, 200, "application/x-protobuf", new byte[0]);
  }

  /** null when larger than the limit (checked on the decompressed size too: gzip bombs). */
  private byte[] readBody(HttpExchange ex) throws IOException {
    String len = ex.getRequestHeaders().getFirst("Content-Length");
    if (len != null) {
      try {
        if (Long.parseLong(len.strip()) > maxBodyBytes) {
          drain(ex);
          return null;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the streaming limit
      }
    }
    InputStream in = ex.getRequestBody();
    if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    try (InputStream body = in) {
      byte[] data = body.readNBytes(maxBodyBytes + 1);
      if (data.length > maxBodyBytes) {
        return null;
      }
      return data;
    }
  }

  private static void drain(HttpExchange ex) {
    try (InputStream in = ex.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // the client goes away; nothing to do
    }
  }

  private static String contentType(HttpExchange ex) {
    String t = ex.getRequestHeaders().getFirst("Content-Type");
    if (t == null) {
      return "";
    }
    int semi = t.indexOf(';');
    return (semi >= 0 ? t.substring(0, semi) : t).strip().toLowerCase(java.util.Locale.ROOT);
  }

  private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
