package io.llmobserve.providers;

import io.llmobserve.providers.body.BodyFormat;
import io.llmobserve.providers.body.RequestBodyReader;
import io.llmobserve.providers.body.ResponseBodyReader;
import io.llmobserve.providers.headers.ResponseHeaderInfo;
import io.llmobserve.providers.json.ByteSink;
import io.llmobserve.providers.json.JsonScanner;
import io.llmobserve.providers.usage.ByteArrayPool;
import io.llmobserve.providers.usage.RequestUsageText;
import io.llmobserve.providers.usage.UsageEstimator;
import io.llmobserve.providers.usage.UsageText;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToIntBiFunction;

/**
 * Everything learned about one LLM call while its bytes pass by. The instrumented client feeds
 * request bytes, response headers and response bytes as they flow; the library parses incrementally
 * with bounded memory (no whole-body buffering) and never throws: malformed, truncated or huge
 * input yields partial data or none.
 *
 * <p>Threading: request-side and response-side methods may be called from different threads, but
 * never concurrently for the same side; {@link #writeAttributes} is called after {@link
 * #responseEnd}. Implementations make the handoff safe (e.g. volatile/synchronized). This one
 * synchronizes every public method on the instance (uncontended in practice; nothing inside blocks
 * or calls back into the app except the {@link HeaderReader}).
 *
 * <p>The agent codes against the public methods below: keep them stable.
 */
public final class LlmCall {
  private static final int SCRATCH = 8192;

  private final LlmEndpoint endpoint;
  private final long startNanoTime;
  private final boolean captureContent;

  private RequestBodyReader request;

  private int statusCode = -1;
  private ResponseHeaderInfo headers;
  private ResponseBodyReader response;
  private ByteSink pipeline;
  private int format = BodyFormat.SNIFF;
  private boolean streamingFormat;
  private long firstChunkNanos;
  private boolean firstChunkSeen;
  private boolean responseDone;
  private String failedType;
  // token counting when the response reports no usage (see estimateUsage)
  private UsageText usageInput;
  private JsonScanner usageScanner;
  // the request bytes, kept raw (at most REQUEST_TEXT_DEFER_BYTES) and scanned for their text
  // only when the response turns out to report no usage: most calls never pay for that scan
  private byte[] usageRequestBytes;
  private int usageRequestLength;
  private UsageText usageOutput;
  private long estimatedInput = -1;
  private long estimatedOutput = -1;
  private String estimateMethod;
  private boolean usageEstimation = true;

  /**
   * @param endpoint from {@link ProviderDetector#detect}
   * @param startNanoTime System.nanoTime() when the request was sent (for time to first chunk)
   * @param captureContent whether prompt/completion text may be recorded (opt-in; bounded and
   *     redacted by the library)
   */
  public LlmCall(LlmEndpoint endpoint, long startNanoTime, boolean captureContent) {
    this.endpoint =
        endpoint != null ? endpoint : new LlmEndpoint("unknown", GenAiAttributes.OP_CHAT);
    this.startNanoTime = startNanoTime;
    this.captureContent = captureContent;
  }

  /** Request body bytes, in order. The array is not retained. */
  public synchronized void requestBody(byte[] bytes, int offset, int length) {
    try {
      if (!validRange(bytes, offset, length) || length == 0) {
        return;
      }
      if (request == null) {
        request = new RequestBodyReader(captureContent);
      }
      request.scanner().accept(bytes, offset, length);
      collectUsageInput(bytes, offset, length);
    } catch (Throwable t) {
      // never into the app
    }
  }

  /** Request body bytes; reads from position to limit without moving the buffer's position. */
  public synchronized void requestBody(ByteBuffer buffer) {
    try {
      if (buffer == null || !buffer.hasRemaining()) {
        return;
      }
      if (buffer.hasArray()) {
        requestBody(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        return;
      }
      byte[] tmp = scratch();
      for (int pos = buffer.position(); pos < buffer.limit(); ) {
        int n = Math.min(tmp.length, buffer.limit() - pos);
        buffer.get(pos, tmp, 0, n);
        requestBody(tmp, 0, n);
        pos += n;
      }
    } catch (Throwable t) {
      // never into the app
    }
  }

  /** Status and headers of the response (content-type and content-encoding decide the format). */
  public synchronized void responseHeaders(int statusCode, HeaderReader headers) {
    try {
      this.statusCode = statusCode;
      this.headers =
          ResponseHeaderInfo.read(
              headers == null ? HeaderReader.NONE : headers,
              endpoint.provider,
              endpoint.hostRegion,
              endpoint.selfHosted);
      format = BodyFormat.fromContentType(this.headers.contentType);
      streamingFormat = BodyFormat.isStreaming(format);
    } catch (Throwable t) {
      // never into the app
    }
  }

  /**
   * Response body bytes as the app receives them (still gzip-compressed if the client did not
   * decode). The first call with length &gt; 0 marks the first chunk for streams.
   */
  public synchronized void responseBody(byte[] bytes, int offset, int length) {
    try {
      if (length <= 0 || responseDone || !validRange(bytes, offset, length)) {
        return;
      }
      if (!firstChunkSeen) {
        firstChunkSeen = true;
        firstChunkNanos = System.nanoTime();
      }
      if (pipeline == null) {
        if (!startPipeline(bytes, offset, length)) {
          return; // only whitespace so far
        }
      }
      pipeline.accept(bytes, offset, length);
    } catch (Throwable t) {
      // never into the app
    }
  }

  /** Same as {@link #responseBody(byte[], int, int)}; does not move the buffer's position. */
  public synchronized void responseBody(ByteBuffer buffer) {
    try {
      if (buffer == null || !buffer.hasRemaining()) {
        return;
      }
      if (buffer.hasArray()) {
        responseBody(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        return;
      }
      byte[] tmp = scratch();
      for (int pos = buffer.position(); pos < buffer.limit(); ) {
        int n = Math.min(tmp.length, buffer.limit() - pos);
        buffer.get(pos, tmp, 0, n);
        responseBody(tmp, 0, n);
        pos += n;
      }
    } catch (Throwable t) {
      // never into the app
    }
  }

  private boolean startPipeline(byte[] b, int off, int len) {
    String encoding = headers == null ? null : normalizedEncoding(headers.contentEncoding);
    int f = format;
    if (encoding == null
        && len > 0
        && b[off] == (byte) 0x1f
        && (len < 2 || b[off + 1] == (byte) 0x8b)) {
      encoding = "gzip"; // compressed although no header said so (headers unseen or stripped)
    }
    if (f == BodyFormat.SNIFF) {
      if (encoding != null) {
        f = BodyFormat.JSON;
      } else {
        int i = off;
        int end = off + len;
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
          i++;
        }
        if (i == end) {
          return false;
        }
        f = BodyFormat.sniff(b[i]);
      }
    }
    format = f;
    response = new ResponseBodyReader(captureContent);
    if (countsTokens()) {
      usageOutput = new UsageText(UsageText.DEFAULT_MAX_CHARS);
      response.collectUsageText(usageOutput);
    }
    pipeline = response.pipeline(f, encoding);
    return true;
  }

  // ---- tokens when the response reports none

  /**
   * Whether to collect text to count tokens when the response reports no usage (default true). Off:
   * nothing is collected and {@link #needsUsageEstimate} is always false. Call before the first
   * body byte.
   */
  public synchronized void setUsageEstimation(boolean on) {
    usageEstimation = on;
  }

  private boolean countsTokens() {
    return usageEstimation && !GenAiAttributes.OP_EMBEDDINGS.equals(endpoint.operation);
  }

  private boolean openAiFormat() {
    String p = endpoint.provider;
    return !(GenAiAttributes.PROVIDER_ANTHROPIC.equals(p)
        || GenAiAttributes.PROVIDER_AWS_BEDROCK.equals(p)
        || GenAiAttributes.PROVIDER_GEMINI.equals(p)
        || GenAiAttributes.PROVIDER_VERTEX_AI.equals(p)
        || GenAiAttributes.PROVIDER_COHERE.equals(p));
  }

  /** Request bytes kept unscanned for token counting; a bigger body is scanned as it passes. */
  static final int REQUEST_TEXT_DEFER_BYTES = 16 * 1024;

  private void collectUsageInput(byte[] bytes, int offset, int length) {
    if (!countsTokens()) {
      return;
    }
    if (usageScanner == null) {
      int needed = usageRequestLength + length;
      if (needed <= REQUEST_TEXT_DEFER_BYTES) {
        byte[] kept = usageRequestBytes;
        if (kept == null) {
          kept = ByteArrayPool.take(needed); // usually reused: most calls report usage
          usageRequestBytes = kept;
        } else if (kept.length < needed) {
          byte[] bigger =
              ByteArrayPool.take(
                  Math.min(Math.max(needed, kept.length * 2), REQUEST_TEXT_DEFER_BYTES));
          System.arraycopy(kept, 0, bigger, 0, usageRequestLength);
          ByteArrayPool.give(kept);
          kept = bigger;
          usageRequestBytes = kept;
        }
        System.arraycopy(bytes, offset, kept, usageRequestLength, length);
        usageRequestLength = needed;
        return;
      }
      scanDeferredRequestText(); // too big to keep raw: scan from here on
    }
    usageScanner.accept(bytes, offset, length);
  }

  /** Starts the request text scanner over the bytes kept so far (a no-op once started). */
  private void scanDeferredRequestText() {
    if (usageScanner != null) {
      return;
    }
    usageInput = new UsageText(UsageText.DEFAULT_MAX_CHARS);
    usageScanner = RequestUsageText.scanner(usageInput, openAiFormat());
    byte[] kept = usageRequestBytes;
    int n = usageRequestLength;
    usageRequestBytes = null;
    usageRequestLength = 0;
    if (kept != null && n > 0) {
      usageScanner.accept(kept, 0, n); // the scanner copies what it keeps
    }
    ByteArrayPool.give(kept);
  }

  private boolean inputReported() {
    return response != null && response.inputTokens() >= 0;
  }

  /**
   * Reported output is final only when the response completed (Anthropic reports 1 at the start).
   */
  private boolean outputReported() {
    if (response == null || response.outputTokens() < 0) {
      return false;
    }
    return failedType == null || !stream() || !response.finishReasons().isEmpty();
  }

  /**
   * After {@link #responseEnd}/{@link #responseFailed}: true when the response did not report some
   * usage that can be counted from the text seen (an error status, 4xx/5xx, bills nothing and is
   * never estimated). When false, the collected text is dropped at once.
   */
  public synchronized boolean needsUsageEstimate() {
    boolean needed = false;
    try {
      if (responseDone && statusCode < 400 && countsTokens()) {
        if (!inputReported() && usageRequestLength > 0) {
          scanDeferredRequestText();
        }
        boolean input = !inputReported() && usageInput != null && usageInput.hasText();
        boolean output = !outputReported() && usageOutput != null && usageOutput.hasText();
        needed = input || output;
      }
    } catch (Throwable t) {
      needed = false;
    }
    if (!needed) {
      dropUsageText();
    }
    return needed;
  }

  /**
   * Counts the tokens the response did not report: the request's text (input) and the output that
   * streamed before the end (a cancelled stream: what arrived; a failure before any output: input
   * only). The slow part of a call: run it off the app's thread. Drops the text.
   *
   * @param counter (encoding name, text) -> tokens, e.g. jtokkit's countTokensOrdinary; null: 4
   *     UTF-8 bytes per token
   */
  public synchronized void estimateUsage(ToIntBiFunction<String, String> counter) {
    try {
      if (!needsUsageEstimate()) {
        return;
      }
      UsageEstimator.Method method = UsageEstimator.methodFor(endpoint.provider, model());
      boolean extrapolated = false;
      if (!inputReported() && usageInput != null && usageInput.hasText()) {
        estimatedInput = UsageEstimator.count(usageInput, method, counter);
        extrapolated |= usageInput.missedBytes() > 0;
      }
      if (!outputReported() && usageOutput != null && usageOutput.hasText()) {
        estimatedOutput = UsageEstimator.count(usageOutput, method, counter);
        extrapolated |= usageOutput.missedBytes() > 0;
      }
      estimateMethod = method.describe(extrapolated, counter != null);
    } catch (Throwable t) {
      // no estimate rather than a wrong one
    } finally {
      dropUsageText();
    }
  }

  private String model() {
    String m = responseModel();
    return m != null && !m.isEmpty() ? m : requestModel();
  }

  private void dropUsageText() {
    usageInput = null;
    usageScanner = null;
    // the arrays go back to the pool: nothing refers to them once these fields are cleared (the
    // library's state is only touched under this call's lock)
    ByteArrayPool.give(usageRequestBytes);
    usageRequestBytes = null;
    usageRequestLength = 0;
    if (usageOutput != null) {
      usageOutput.release();
    }
    usageOutput = null;
    if (response != null) {
      response.collectUsageText(null);
    }
  }

  /** Which counts were estimated ("input", "output"); empty when all are reported or unknown. */
  public synchronized List<String> estimatedCounts() {
    List<String> l = new ArrayList<>(2);
    if (estimatedInput >= 0) {
      l.add("input");
    }
    if (estimatedOutput >= 0) {
      l.add("output");
    }
    return l;
  }

  /** llm.usage.estimate_method, null when nothing was estimated. */
  public synchronized String estimateMethod() {
    return estimatedInput >= 0 || estimatedOutput >= 0 ? estimateMethod : null;
  }

  /** Writes the estimated token counts and their marks (after {@link #estimateUsage}). */
  public synchronized void writeUsageEstimate(AttributeSink sink) {
    try {
      if (estimatedInput >= 0) {
        sink.put(GenAiAttributes.USAGE_INPUT_TOKENS, estimatedInput);
      }
      if (estimatedOutput >= 0) {
        sink.put(GenAiAttributes.USAGE_OUTPUT_TOKENS, estimatedOutput);
      }
      if (estimatedInput >= 0 || estimatedOutput >= 0) {
        sink.put(GenAiAttributes.LLM_USAGE_ESTIMATED, estimatedCounts());
        putString(sink, GenAiAttributes.LLM_USAGE_ESTIMATE_METHOD, estimateMethod);
      }
    } catch (Throwable t) {
      // never into the app
    }
  }

  private static String normalizedEncoding(String e) {
    if (e == null) {
      return null;
    }
    String s = e.trim().toLowerCase(Locale.ROOT);
    return s.contains("gzip") || s.contains("deflate") ? s : null;
  }

  /** The body ended normally (EOF). */
  public synchronized void responseEnd() {
    try {
      finish();
    } catch (Throwable t) {
      // never into the app
    }
  }

  /** The exchange failed or was cancelled before the body ended (error.type from the caller). */
  public synchronized void responseFailed(String errorType) {
    try {
      if (failedType == null && !responseDone) { // after a normal EOF a late failure is noise
        failedType = errorType == null ? "_OTHER" : errorType;
      }
      finish();
    } catch (Throwable t) {
      // never into the app
    }
  }

  private void finish() {
    if (responseDone) {
      return;
    }
    responseDone = true;
    if (pipeline != null) {
      pipeline.end(); // flushes the last SSE event, releases the Inflater
    }
  }

  /** Writes all span attributes of the contract in ../shared/DESIGN.md that were learned. */
  public synchronized void writeAttributes(AttributeSink sink) {
    if (sink == null) {
      return;
    }
    try {
      write(sink);
    } catch (Throwable t) {
      // never into the app
    }
  }

  private void write(AttributeSink sink) {
    sink.put(GenAiAttributes.PROVIDER_NAME, endpoint.provider);
    sink.put(GenAiAttributes.OPERATION_NAME, endpoint.operation);
    putString(sink, GenAiAttributes.REQUEST_MODEL, requestModel());
    putString(sink, GenAiAttributes.RESPONSE_MODEL, responseModel());
    sink.put(GenAiAttributes.REQUEST_STREAM, stream());
    if (request != null) {
      if (request.maxTokens >= 0) {
        sink.put(GenAiAttributes.REQUEST_MAX_TOKENS, request.maxTokens);
      }
      if (!Double.isNaN(request.temperature)) {
        sink.put(GenAiAttributes.REQUEST_TEMPERATURE, request.temperature);
      }
      putString(sink, GenAiAttributes.INPUT_MESSAGES, request.inputMessages());
    }
    writeUsageEstimate(sink);
    if (response != null) {
      putString(sink, GenAiAttributes.RESPONSE_ID, response.id);
      List<String> reasons = response.finishReasons();
      if (!reasons.isEmpty()) {
        sink.put(GenAiAttributes.RESPONSE_FINISH_REASONS, immutableReasons(reasons));
      }
      putLong(sink, GenAiAttributes.USAGE_INPUT_TOKENS, inputTokens());
      putLong(sink, GenAiAttributes.USAGE_OUTPUT_TOKENS, outputTokens());
      putLong(sink, GenAiAttributes.USAGE_CACHE_READ_INPUT_TOKENS, response.cacheReadTokens());
      putLong(
          sink, GenAiAttributes.USAGE_CACHE_CREATION_INPUT_TOKENS, response.cacheCreationTokens());
      putLong(sink, GenAiAttributes.USAGE_REASONING_OUTPUT_TOKENS, response.reasoningTokens());
      putString(
          sink, GenAiAttributes.OPENAI_RESPONSE_SYSTEM_FINGERPRINT, response.systemFingerprint);
      putString(sink, GenAiAttributes.OPENAI_RESPONSE_SERVICE_TIER, response.serviceTier);
      putString(sink, GenAiAttributes.LLM_ERROR_TYPE, response.providerError());
      putString(sink, GenAiAttributes.OUTPUT_MESSAGES, response.outputMessages());
      putString(sink, GenAiAttributes.LLM_BODY_SCAN_STOPPED, response.scanStopped());
    }
    double ttfc = timeToFirstChunkSeconds();
    if (!Double.isNaN(ttfc)) {
      sink.put(GenAiAttributes.RESPONSE_TIME_TO_FIRST_CHUNK, ttfc);
    }
    if (statusCode > 0) {
      sink.put(GenAiAttributes.HTTP_RESPONSE_STATUS_CODE, (long) statusCode);
    }
    putString(sink, GenAiAttributes.ERROR_TYPE, errorType());
    ResponseHeaderInfo h = headers;
    if (h != null) {
      putString(sink, GenAiAttributes.LLM_HOSTING_PROVIDER, h.hostingProvider);
      putString(sink, GenAiAttributes.LLM_HOSTING_REGION, h.region);
      putString(sink, GenAiAttributes.LLM_EDGE_POP, h.edgePop);
      putString(sink, GenAiAttributes.LLM_REQUEST_ID, h.requestId);
      if (!Double.isNaN(h.processingTimeSeconds)) {
        sink.put(GenAiAttributes.LLM_SERVER_PROCESSING_TIME, h.processingTimeSeconds);
      }
      putLong(sink, GenAiAttributes.LLM_RATELIMIT_REMAINING_REQUESTS, h.remainingRequests);
      putLong(sink, GenAiAttributes.LLM_RATELIMIT_REMAINING_TOKENS, h.remainingTokens);
      putLong(sink, GenAiAttributes.LLM_RATELIMIT_LIMIT_REQUESTS, h.limitRequests);
      putLong(sink, GenAiAttributes.LLM_RATELIMIT_LIMIT_TOKENS, h.limitTokens);
    } else if (endpoint.hostRegion != null) {
      sink.put(GenAiAttributes.LLM_HOSTING_REGION, endpoint.hostRegion);
    }
  }

  /** The last single-reason list written: most calls end with the same reason ("stop"). */
  private static volatile List<String> lastSingleReason = List.of("stop");

  /** An immutable copy of {@code reasons}; a repeated single reason reuses the last list. */
  static List<String> immutableReasons(List<String> reasons) {
    if (reasons.size() != 1) {
      return List.copyOf(reasons);
    }
    List<String> last = lastSingleReason;
    if (last.get(0).equals(reasons.get(0))) {
      return last;
    }
    last = List.copyOf(reasons);
    lastSingleReason = last;
    return last;
  }

  private static void putString(AttributeSink sink, String key, String value) {
    if (value != null && !value.isEmpty()) {
      sink.put(key, value);
    }
  }

  private static void putLong(AttributeSink sink, String key, long value) {
    if (value >= 0) {
      sink.put(key, value);
    }
  }

  /** Span name: "{operation} {request model}" (operation alone when the model is unknown). */
  public synchronized String spanName() {
    String model = requestModel();
    if (model == null) {
      return endpoint.operation;
    }
    SpanName last = lastSpanName; // calls repeat their operation and model: one String for all
    if (last != null
        && last.model.equals(model)
        && Objects.equals(last.operation, endpoint.operation)) {
      return last.name;
    }
    last = new SpanName(endpoint.operation, model);
    lastSpanName = last;
    return last.name;
  }

  /** The last span name made, immutable (safely shared between threads). */
  private static final class SpanName {
    final String operation;
    final String model;
    final String name;

    SpanName(String operation, String model) {
      this.operation = operation;
      this.model = model;
      this.name = operation + " " + model;
    }
  }

  private static volatile SpanName lastSpanName;

  // Typed accessors for the agent's metrics (gen_ai.client.*). Unknown values: null / -1 / NaN.

  public String provider() {
    return endpoint.provider;
  }

  public String operation() {
    return endpoint.operation;
  }

  public synchronized String requestModel() {
    if (request != null && request.model != null) {
      return request.model;
    }
    return endpoint.pathModel;
  }

  public synchronized String responseModel() {
    return response == null ? null : response.model;
  }

  /**
   * llm.hosting.region as known so far: from response headers, else the endpoint's host; null
   * before.
   */
  public synchronized String hostingRegion() {
    ResponseHeaderInfo h = headers;
    if (h != null && h.region != null) {
      return h.region;
    }
    return endpoint.hostRegion;
  }

  public synchronized boolean stream() {
    return (request != null && Boolean.TRUE.equals(request.stream))
        || endpoint.pathStream
        || streamingFormat;
  }

  /** Reported input tokens, else the estimate (see {@link #estimatedCounts}), else -1. */
  public synchronized long inputTokens() {
    return estimatedInput >= 0 ? estimatedInput : response == null ? -1 : response.inputTokens();
  }

  /** Reported output tokens, else the estimate (see {@link #estimatedCounts}), else -1. */
  public synchronized long outputTokens() {
    return estimatedOutput >= 0 ? estimatedOutput : response == null ? -1 : response.outputTokens();
  }

  /** Raw finish reasons seen so far (deduplicated, at most 8); empty when none. */
  public synchronized List<String> finishReasons() {
    return response == null ? List.of() : List.copyOf(response.finishReasons());
  }

  /** Seconds from start to the first response body chunk of a stream, NaN otherwise. */
  public synchronized double timeToFirstChunkSeconds() {
    if (!firstChunkSeen || !stream()) {
      return Double.NaN;
    }
    return Math.max(0, firstChunkNanos - startNanoTime) / 1e9;
  }

  /**
   * error.type for the span: HTTP status code as string for 4xx/5xx, the caller's type, or null.
   */
  public synchronized String errorType() {
    if (statusCode >= 400) {
      return Integer.toString(statusCode);
    }
    if (failedType != null) {
      return failedType;
    }
    if (response != null && statusCode > 0) {
      // an error event inside a 200 stream (Anthropic "error" event, Bedrock exception frame)
      return response.providerError();
    }
    return null;
  }

  public synchronized int statusCode() {
    return statusCode;
  }

  /** Bytes held by the parsers of this call (for bounded-memory checks). */
  public synchronized int retainedBytes() {
    int n = 0;
    if (request != null) {
      n += request.scanner().retainedBytes();
    }
    if (response != null) {
      n += response.retainedBytes();
    }
    if (usageScanner != null) {
      n += usageScanner.retainedBytes();
    }
    n += usageRequestBytes == null ? 0 : usageRequestBytes.length;
    n += usageInput == null ? 0 : usageInput.retainedChars() * 2;
    n += usageOutput == null ? 0 : usageOutput.retainedChars() * 2;
    return n;
  }

  /**
   * Copy space for direct buffers (the JDK client's are): one per thread, not one per call (8 KB
   * per call was the largest allocation of an observed call). Safe to share within a thread: it is
   * used only while one feed method runs, and the readers never retain the array.
   */
  private byte[] scratch() {
    byte[] s = SCRATCH_PER_THREAD.get();
    if (s == null) {
      s = new byte[SCRATCH];
      SCRATCH_PER_THREAD.set(s);
    }
    return s;
  }

  private static final ThreadLocal<byte[]> SCRATCH_PER_THREAD = new ThreadLocal<>();

  private static boolean validRange(byte[] b, int off, int len) {
    return b != null && off >= 0 && len >= 0 && off <= b.length - len;
  }
}
