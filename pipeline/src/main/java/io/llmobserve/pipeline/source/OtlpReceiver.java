package io.llmobserve.pipeline.source;

import io.llmobserve.pipeline.decode.DecodedRequest;
import io.llmobserve.pipeline.decode.OtlpJson;
import io.llmobserve.pipeline.http.BoundedHttpServer;
import io.llmobserve.pipeline.http.BoundedHttpServer.Call;
import io.llmobserve.pipeline.http.BoundedHttpServer.Reply;
import io.llmobserve.pipeline.http.HttpLimits;
import io.llmobserve.pipeline.limits.OtlpWireScanner;
import io.llmobserve.pipeline.limits.RequestLimits;
import io.llmobserve.pipeline.model.StringCache;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The embedded OTLP/HTTP receiver: POST /v1/traces (application/x-protobuf, or application/json per
 * the OTLP JSON encoding: hex ids), gzip accepted. Runs on a {@link BoundedHttpServer}, so slow or
 * hostile clients cost a connection, not a thread, and overload is answered 503 with Retry-After.
 * Each request is bounded before anything is materialised: bytes (413 from Content-Length, before
 * reading), decompressed bytes and decompression ratio, then spans, attributes, elements and
 * nesting by a pass over the wire format ({@link OtlpWireScanner}). Accepted requests go to the job
 * through the replayable {@link ReceiverLog}: a 200 means the request is in the log, and the log
 * keeps it until a checkpoint covers it.
 *
 * <p>Answers: 200 (an empty ExportTraceServiceResponse), 400 malformed, 408 body too slow, 413 too
 * large or over an element limit, 415 other content types, 503 + Retry-After when the job does not
 * keep up or the server is saturated (OTLP clients retry 503). /v1/metrics accepts well-sized
 * ExportMetricsServiceRequest bodies and hands them to {@link #metricsHandler} (counted and
 * discarded by default); /v1/logs answers 200 and discards, so an agent pointed here stays quiet.
 * Malformed trace requests are also forwarded (best effort) so the job counts them in
 * llm_pipeline_malformed_requests_total with every other metric.
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final byte[] EMPTY_RESPONSE =
      ExportTraceServiceResponse.getDefaultInstance().toByteArray();

  /** What the job's decoder counts as one malformed request (not a {@link DecodedRequest}). */
  static final byte[] MALFORMED_MARKER = {(byte) 0xff};

  /**
   * The decoding thread's label strings: requests are decoded on the server's worker threads, and a
   * {@link StringCache} is not thread-safe.
   */
  private static final ThreadLocal<StringCache> STRINGS = ThreadLocal.withInitial(StringCache::new);

  /** How long an accepted request may wait for room in the log before the answer is 503. */
  private static final long APPEND_WAIT_MILLIS = 200;

  /** Receives a validated, decompressed OTLP metrics request; returns false to answer 503. */
  @FunctionalInterface
  public interface PayloadHandler {
    boolean accept(byte[] protobuf) throws InterruptedException;
  }

  private final BoundedHttpServer server;
  private final ReceiverLog log;
  private final int maxBodyBytes;
  private final RequestLimits limits;
  private volatile PayloadHandler metricsHandler = body -> true;

  public final AtomicLong accepted = new AtomicLong();
  public final AtomicLong malformed = new AtomicLong();
  public final AtomicLong tooLarge = new AtomicLong();
  public final AtomicLong overloaded = new AtomicLong();
  public final AtomicLong metricsAccepted = new AtomicLong();

  public OtlpReceiver(
      String host,
      int port,
      ReceiverLog log,
      int maxBodyBytes,
      RequestLimits limits,
      HttpLimits http)
      throws Exception {
    this.log = log;
    this.maxBodyBytes = maxBodyBytes;
    this.limits = limits;
    this.server =
        BoundedHttpServer.builder("otlp-receiver", http)
            .bind(host, port)
            .route("/v1/traces", Set.of("POST"), maxBodyBytes, this::traces)
            .route("/v1/metrics", Set.of("POST"), maxBodyBytes, this::metrics)
            .route(
                "/v1/logs",
                Set.of("POST"),
                maxBodyBytes,
                c -> Reply.of(200, "application/x-protobuf", new byte[0], "discarded"))
            .start();
  }

  public int port() {
    return server.port();
  }

  public BoundedHttpServer server() {
    return server;
  }

  /** Where /v1/metrics bodies go (OTLP metrics ingestion plugs in here). */
  public void metricsHandler(PayloadHandler handler) {
    this.metricsHandler = handler;
  }

  private Reply traces(Call call) throws InterruptedException {
    // Received, not yet in the log: event time must not move on while we parse (ReceiverQueues).
    ReceiverQueues.requestReceived(log);
    try {
      return accept(call);
    } finally {
      ReceiverQueues.requestDone(log);
    }
  }

  private Reply accept(Call call) throws InterruptedException {
    String type = mediaType(call.contentType());
    boolean json = type.equals("application/json");
    if (!json
        && !type.equals("application/x-protobuf")
        && !type.equals("application/protobuf")
        && !type.isEmpty()) {
      return Reply.text(415, "unsupported content type " + type, "unsupported_media_type");
    }
    Object body = decompress(call);
    if (body instanceof Reply r) {
      return r;
    }
    byte[] proto = (byte[]) body;
    if (json) {
      try {
        proto = OtlpJson.toProtobuf(proto, limits);
      } catch (OtlpJson.Rejected e) {
        return reject(e.verdict, e.getMessage());
      }
    }
    OtlpWireScanner.Result scan = OtlpWireScanner.scan(proto, limits);
    if (!scan.ok()) {
      return reject(
          scan.verdict(),
          "ExportTraceServiceRequest refused: "
              + scan.verdict().label
              + " (limits: "
              + limits
              + ")");
    }
    byte[] entry;
    try {
      entry = DecodedRequest.encode(proto, STRINGS.get());
    } catch (RuntimeException e) {
      // Well framed to its limits, yet not a trace request the decoder can read.
      return reject(OtlpWireScanner.Verdict.MALFORMED, "malformed ExportTraceServiceRequest");
    }
    if (!log.append(entry, APPEND_WAIT_MILLIS)) {
      overloaded.incrementAndGet();
      return BoundedHttpServer.overloaded(
          "pipeline busy (receiver log full until the next checkpoint)");
    }
    accepted.incrementAndGet();
    return json
        ? Reply.of(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), "accepted")
        : Reply.of(200, "application/x-protobuf", EMPTY_RESPONSE, "accepted");
  }

  private Reply metrics(Call call) throws InterruptedException {
    String type = mediaType(call.contentType());
    if (!type.equals("application/x-protobuf")
        && !type.equals("application/protobuf")
        && !type.isEmpty()) {
      return Reply.text(
          415,
          "unsupported content type " + type + " (OTLP metrics: protobuf)",
          "unsupported_media_type");
    }
    Object body = decompress(call);
    if (body instanceof Reply r) {
      return r;
    }
    if (!wellFramed((byte[]) body)) {
      malformed.incrementAndGet();
      log.tryAppendBestEffort(MALFORMED_MARKER); // the job counts it; never block a bad client
      return Reply.text(400, "malformed protobuf ExportMetricsServiceRequest", "malformed");
    }
    if (!metricsHandler.accept((byte[]) body)) {
      return BoundedHttpServer.overloaded("metrics consumer busy");
    }
    metricsAccepted.incrementAndGet();
    return Reply.of(200, "application/x-protobuf", new byte[0], "accepted");
  }

  /**
   * The top level of a protobuf message is well framed: valid field numbers and wire types, and
   * lengths inside the body. Cheap (no allocation) and enough to answer garbage with 400; what is
   * deeper is checked, and counted when malformed, by the job's decoder.
   */
  static boolean wellFramed(byte[] b) {
    int i = 0;
    while (i < b.length) {
      long tag = 0;
      int shift = 0;
      while (true) {
        if (i >= b.length || shift > 63) {
          return false;
        }
        byte x = b[i++];
        tag |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          break;
        }
        shift += 7;
      }
      if ((tag >>> 3) == 0) {
        return false;
      }
      switch ((int) (tag & 7)) {
        case 0 -> {
          int n = 0;
          while (i < b.length && b[i] < 0 && n++ < 10) {
            i++;
          }
          if (i >= b.length) {
            return false;
          }
          i++;
        }
        case 1 -> i += 8;
        case 5 -> i += 4;
        case 2 -> {
          long len = 0;
          shift = 0;
          while (true) {
            if (i >= b.length || shift > 63) {
              return false;
            }
            byte x = b[i++];
            len |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
              break;
            }
            shift += 7;
          }
          if (len < 0 || len > b.length - i) {
            return false;
          }
          i += (int) len;
        }
        default -> {
          return false;
        }
      }
      if (i > b.length) {
        return false;
      }
    }
    return true;
  }

  private Reply reject(OtlpWireScanner.Verdict verdict, String message) {
    if (verdict == OtlpWireScanner.Verdict.MALFORMED) {
      malformed.incrementAndGet();
      log.tryAppendBestEffort(MALFORMED_MARKER); // the job counts it; never block a bad client
      return Reply.text(400, message, verdict.label);
    }
    tooLarge.incrementAndGet();
    return Reply.text(413, message, verdict.label);
  }

  /** The body, gunzipped when so declared, within the size and ratio limits; or the refusal. */
  private Object decompress(Call call) {
    String encoding =
        call.contentEncoding() == null
            ? ""
            : call.contentEncoding().strip().toLowerCase(Locale.ROOT);
    if (encoding.isEmpty() || encoding.equals("identity")) {
      return call.body();
    }
    if (!encoding.equals("gzip")) {
      return Reply.text(415, "unsupported content encoding " + encoding, "unsupported_media_type");
    }
    long byRatio = (long) call.body().length * limits.maxDecompressionRatio();
    int cap = (int) Math.min(maxBodyBytes, Math.max(byRatio, 1024));
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(call.body()))) {
      byte[] data = in.readNBytes(cap + 1);
      if (data.length > cap) {
        tooLarge.incrementAndGet();
        return cap < maxBodyBytes
            ? Reply.text(
                413,
                "gzip body expands more than " + limits.maxDecompressionRatio() + "x",
                "decompression_ratio")
            : Reply.text(
                413,
                "decompressed body exceeds " + maxBodyBytes + " bytes",
                BoundedHttpServer.TOO_LARGE);
      }
      return data;
    } catch (IOException e) {
      malformed.incrementAndGet();
      return Reply.text(400, "bad gzip body: " + e.getMessage(), "malformed");
    }
  }

  private static String mediaType(String t) {
    if (t == null) {
      return "";
    }
    int semi = t.indexOf(';');
    return (semi >= 0 ? t.substring(0, semi) : t).strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    server.close();
  }
}
