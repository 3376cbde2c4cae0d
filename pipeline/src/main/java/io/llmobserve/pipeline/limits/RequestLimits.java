package io.llmobserve.pipeline.limits;

import java.io.Serializable;

/**
 * Bounds on the work one OTLP request (HTTP body or Kafka record) may cause, checked on the wire
 * bytes before anything is materialised ({@link OtlpWireScanner}). Bytes alone do not bound memory:
 * an empty span encodes in 2 bytes and parses into a ~100-byte object.
 *
 * @param maxSpans spans per request
 * @param maxAttributes key/value pairs per request, at any level (resource, scope, span, event,
 *     link, nested kvlists)
 * @param maxElements every message per request (spans, events, links, attributes, values, ...):
 *     bounds the objects a parse allocates
 * @param maxDepth nesting of array/kvlist attribute values
 * @param maxDecompressionRatio decompressed size / compressed size (gzip bombs)
 */
public record RequestLimits(
    int maxSpans, int maxAttributes, int maxElements, int maxDepth, int maxDecompressionRatio)
    implements Serializable {

  public static RequestLimits defaults() {
    return new RequestLimits(10_000, 400_000, 1_000_000, 16, 200);
  }
}
