package io.llmobserve.providers;

import java.nio.ByteBuffer;

/**
 * Everything learned about one LLM call while its bytes pass by. The instrumented client
 * feeds request bytes, response headers and response bytes as they flow; the library parses
 * incrementally with bounded memory (no whole-body buffering) and never throws: malformed,
 * truncated or huge input yields partial data or none.
 *
 * <p>Threading: request-side and response-side methods may be called from different threads,
 * but never concurrently for the same side; {@link #writeAttributes} is called after {@link
 * #responseEnd}. Implementations make the handoff safe (e.g. volatile/synchronized).
 *
 * <p>CONTRACT (agent codes against it): the public methods below are stable.
 */
public final class LlmCall {

  /**
   * @param endpoint from {@link ProviderDetector#detect}
   * @param startNanoTime System.nanoTime() when the request was sent (for time to first chunk)
   * @param captureContent whether prompt/completion text may be recorded (opt-in; bounded and
   *     redacted by the library)
   */
  public LlmCall(LlmEndpoint endpoint, long startNanoTime, boolean captureContent) {
    throw new UnsupportedOperationException("TODO providers helper");
  }

  /** Request body bytes, in order. The array is not retained. */
  public void requestBody(byte[] bytes, int offset, int length) {}

  /** Request body bytes; reads from position to limit without moving the buffer's position. */
  public void requestBody(ByteBuffer buffer) {}

  /** Status and headers of the response (content-type and content-encoding decide the format). */
  public void responseHeaders(int statusCode, HeaderReader headers) {}

  /**
   * Response body bytes as the app receives them (still gzip-compressed if the client did not
   * decode). The first call with length &gt; 0 marks the first chunk for streams.
   */
  public void responseBody(byte[] bytes, int offset, int length) {}

  /** Same as {@link #responseBody(byte[], int, int)}; does not move the buffer's position. */
  public void responseBody(ByteBuffer buffer) {}

  /** The body ended normally (EOF). */
  public void responseEnd() {}

  /** The exchange failed or was cancelled before the body ended (error.type from the caller). */
  public void responseFailed(String errorType) {}

  /** Writes all span attributes of the contract in ../shared/DESIGN.md that were learned. */
  public void writeAttributes(AttributeSink sink) {}

  /** Span name: "{operation} {request model}" (operation alone when the model is unknown). */
  public String spanName() {
    return null;
  }

  // Typed accessors for the agent's metrics (gen_ai.client.*). Unknown values: null / -1 / NaN.

  public String provider() {
    return null;
  }

  public String operation() {
    return null;
  }

  public String requestModel() {
    return null;
  }

  public String responseModel() {
    return null;
  }

  public boolean stream() {
    return false;
  }

  public long inputTokens() {
    return -1;
  }

  public long outputTokens() {
    return -1;
  }

  /** Seconds from start to the first response body chunk of a stream, NaN otherwise. */
  public double timeToFirstChunkSeconds() {
    return Double.NaN;
  }

  /** error.type for the span: HTTP status code as string for 4xx/5xx, the caller's type, or null. */
  public String errorType() {
    return null;
  }

  public int statusCode() {
    return -1;
  }
}
