package io.llmobserve.pipeline.http;

import java.io.Serializable;
import java.time.Duration;

/**
 * What one HTTP server (the OTLP receiver, /metrics) may spend, so slow or hostile clients cannot
 * stall it: a fixed worker pool for request processing, a connection cap, deadlines for headers,
 * bodies and idle connections, a minimum upload rate and a budget for request bodies held in memory
 * at once.
 *
 * @param workers threads processing complete requests (decode, scan, enqueue, scrape)
 * @param maxConnections open connections; further ones wait in the accept backlog
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param headerTimeout a new connection must have sent its first request's headers by then
 * @param bodyTimeout a request body must be complete this long after its headers (else 408)
 * @param minDataRate bytes/s below which an upload is aborted (408)
 * @param inflightBytes request bytes buffered at once across all connections (else 503)
 */
public record HttpLimits(
    int workers,
    int maxConnections,
    Duration idleTimeout,
    Duration headerTimeout,
    Duration bodyTimeout,
    long minDataRate,
    long inflightBytes)
    implements Serializable {

  public static int defaultWorkers() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  public static HttpLimits defaults(int maxBodyBytes) {
    return new HttpLimits(
        defaultWorkers(),
        512,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        1024,
        Math.max(4L * maxBodyBytes, 64L << 20));
  }

  /** The same deadlines for a small GET-only server such as /metrics. */
  public HttpLimits forScrapes() {
    return new HttpLimits(
        Math.min(workers, 2),
        Math.min(maxConnections, 64),
        idleTimeout,
        headerTimeout,
        bodyTimeout,
        minDataRate,
        1L << 20);
  }
}
