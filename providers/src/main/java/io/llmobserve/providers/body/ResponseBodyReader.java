package io.llmobserve.providers.body;

import io.llmobserve.providers.json.ByteSink;
import io.llmobserve.providers.json.JsonHandler;
import io.llmobserve.providers.json.JsonScanner;
import io.llmobserve.providers.json.Keys;
import io.llmobserve.providers.json.RecurringStrings;
import io.llmobserve.providers.provider.Providers;
import io.llmobserve.providers.sse.SseDecoder;
import io.llmobserve.providers.usage.UsageText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads usage, model, id, finish reasons and errors from a response body in any of the wire formats
 * (JSON, SSE, NDJSON, AWS event-stream, optionally gzip/deflate-compressed). One handler serves
 * every provider because the interesting values sit at distinctive key paths, which each provider
 * declares ({@code provider.Provider#responseFields}); values are kept as "last wins" (usage in
 * streams is cumulative) or "first non-empty wins" (model, id). Message text (content capture,
 * token estimates) is read here, the same for all.
 */
public final class ResponseBodyReader implements JsonHandler {
  public static final int MAX_FINISH_REASONS = 8;

  /** Every provider's response fields, by key id. */
  private static final Fields FIELDS = Providers.responseFields();

  // What a field means: the targets a provider's response fields name (provider.Provider).
  static final int T_NONE = 0;
  public static final int T_MODEL = 1;
  public static final int T_ID = 2;
  public static final int T_INPUT = 3;
  public static final int T_OUTPUT = 4;
  public static final int T_CACHE_READ_EXTRA = 5; // not included in input (Anthropic, Bedrock)
  public static final int T_CACHE_WRITE_EXTRA = 6;
  public static final int T_CACHE_READ_INCLUDED = 7; // already in input (OpenAI, Gemini)
  public static final int T_REASONING = 8;
  public static final int T_THOUGHTS = 9; // Gemini: reasoning billed on top of candidates
  public static final int T_FINISH = 10;
  public static final int T_FINGERPRINT = 11;
  public static final int T_SERVICE_TIER = 12;
  public static final int T_OBJECT = 13;
  public static final int T_STATUS = 14;
  public static final int T_ERROR_TYPE = 15;
  public static final int T_ERROR_CODE = 16;
  public static final int T_OUTPUT_TEXT = 17;
  public static final int T_BEDROCK_BYTES = 18;
  public static final int T_INVOCATION_INPUT = 19;
  public static final int T_INVOCATION_OUTPUT = 20;
  public static final int T_DEEPSEEK_CACHE_HIT = 21;
  public static final int T_OUTPUT_DELTA = 22;
  public static final int T_USAGE_ARGUMENTS = 23; // tool-call arguments / names, refusals

  private final JsonScanner scanner = new JsonScanner(this);
  private final ContentCollector content;
  private JsonScanner nested; // for base64-wrapped chunks of invoke-with-response-stream
  private int target;
  private boolean sawDelta;
  private UsageText usageText; // output text to count, when usage may be missing

  public String model;
  public String id;
  public long input = -1;
  public long output = -1;
  public long cacheReadExtra = -1;
  public long cacheWriteExtra = -1;
  public long cacheReadIncluded = -1;
  public long deepseekCacheHit = -1;
  public long reasoning = -1;
  public long thoughts = -1;
  public long invocationInput = -1;
  public long invocationOutput = -1;
  public final List<String> finishReasons = new ArrayList<>(2);
  public String systemFingerprint;
  public String serviceTier;
  private boolean responsesObject;
  private String responsesStatus;
  public String errorType;
  public String errorCode;
  private boolean errorCodeIsName;

  public ResponseBodyReader(boolean captureContent) {
    this.content = captureContent ? new ContentCollector(ContentCollector.DEFAULT_CAP) : null;
  }

  public JsonScanner scanner() {
    return scanner;
  }

  /** Also collect the output text into {@code text} (to count it if the body reports no usage). */
  public void collectUsageText(UsageText text) {
    this.usageText = text;
  }

  /**
   * The byte pipeline for this body.
   *
   * @param format one of the FORMAT_ constants of {@link BodyFormat}
   * @param encoding content-encoding (gzip/x-gzip/deflate), null for identity
   */
  public ByteSink pipeline(int format, String encoding) {
    ByteSink sink;
    switch (format) {
      case BodyFormat.SSE:
        scanner.setSkipRepeatedPrefix(true); // every event repeats id, model, fingerprint
        sse = new SseDecoder(scanner);
        sink = sse;
        break;
      case BodyFormat.AWS_EVENT_STREAM:
        sink = new AwsEventStreamDecoder(scanner, this);
        break;
      case BodyFormat.NDJSON:
        scanner.setNdjson(true);
        sink = scanner;
        break;
      default:
        sink = scanner;
    }
    if (encoding != null) {
      if (encoding.contains("gzip")) {
        inflating = new InflatingSink(sink, true);
        return inflating;
      }
      if (encoding.contains("deflate")) {
        inflating = new InflatingSink(sink, false);
        return inflating;
      }
    }
    return sink;
  }

  // the pipeline's stages that may stop scanning early (see scanStopped)
  private SseDecoder sse;
  private InflatingSink inflating;

  /** SSE events cut for size (see {@link SseDecoder#MAX_EVENT_DATA}). */
  public static final String STOP_SSE_EVENT_SIZE = "sse_event_size";

  /**
   * Why the agent stopped reading part of this body to bound its work, or null when it read it all:
   * {@code inflate_ratio} / {@code inflate_budget} (a compressed body inflating far beyond its
   * size; the rest is not read), {@code sse_event_size} (an oversized event was skipped).
   */
  public String scanStopped() {
    String r = inflating == null ? null : inflating.stopReason();
    if (r == null && sse != null && sse.oversizedEvents() > 0) {
      r = STOP_SSE_EVENT_SIZE;
    }
    return r;
  }

  /** An exception frame of an AWS event stream. */
  void streamError(String type) {
    if (errorType == null) {
      errorType = type;
    }
  }

  // ---- results

  /** gen_ai.usage.input_tokens: all input tokens, cached included; -1 when unknown. */
  public long inputTokens() {
    long base = input >= 0 ? input : invocationInput;
    if (base < 0) {
      return -1;
    }
    return base + Math.max(0, cacheReadExtra) + Math.max(0, cacheWriteExtra);
  }

  public long outputTokens() {
    long base = output >= 0 ? output : invocationOutput;
    if (base < 0) {
      return -1;
    }
    return base + Math.max(0, thoughts);
  }

  public long cacheReadTokens() {
    if (cacheReadExtra >= 0) {
      return cacheReadExtra;
    }
    return cacheReadIncluded >= 0 ? cacheReadIncluded : deepseekCacheHit;
  }

  public long cacheCreationTokens() {
    return cacheWriteExtra;
  }

  public long reasoningTokens() {
    return reasoning >= 0 ? reasoning : thoughts;
  }

  public List<String> finishReasons() {
    if (responsesObject && responsesStatus != null && finishReasons.isEmpty()) {
      List<String> l = new ArrayList<>(1);
      l.add(responsesStatus);
      return l;
    }
    return finishReasons;
  }

  /**
   * Provider error from an error body/event, or null: a named code wins (OpenAI's {@code
   * rate_limit_exceeded} says more than its type {@code tokens}), then the type, then a numeric
   * code (Gemini's HTTP status).
   */
  public String providerError() {
    if (errorCode != null && errorCodeIsName) {
      return errorCode;
    }
    return errorType != null ? errorType : errorCode;
  }

  public String outputMessages() {
    if (content == null) {
      return null;
    }
    List<String> fr = finishReasons();
    return content.renderOutput(fr.isEmpty() ? null : fr.get(fr.size() - 1));
  }

  // ---- scanning

  @Override
  public int valueStart(JsonScanner s, int kind) {
    target = T_NONE;
    int d = s.depth();
    if (d == 0 || d > 6) {
      return 0;
    }
    int key = s.keyAt(d);
    if (key < 0) {
      return 0;
    }
    int parent = d >= 2 ? s.keyAt(d - 1) : Keys.UNKNOWN;
    boolean str = kind == JsonScanner.STRING;
    boolean num = kind == JsonScanner.NUMBER;
    // top level, the wrapped object of an Anthropic message_start / Responses API event, or an
    // element of a top-level array (Gemini streamGenerateContent without alt=sse)
    boolean root =
        d == 1
            || (d == 2
                && (parent == Keys.MESSAGE || parent == Keys.RESPONSE || parent == Keys.ARRAY));
    Field[] fields = FIELDS.at(key);
    if (fields != null) {
      int kindBit = str ? Field.STRING : num ? Field.NUMBER : 0;
      for (Field f : fields) {
        if (f.matches(d, parent, kindBit, root) && accepts(f.target)) {
          target = f.target;
          return f.limit;
        }
      }
      return 0;
    }
    if (usageText != null && str) {
      boolean toolText =
          key == Keys.ARGUMENTS
              || key == Keys.PARTIAL_JSON
              || key == Keys.REFUSAL
              || (key == Keys.NAME && parent == Keys.FUNCTION);
      if (toolText) {
        target = T_USAGE_ARGUMENTS;
        return JsonScanner.MAX_CAPTURE;
      }
    }
    if ((content != null || usageText != null) && str) {
      boolean text =
          key == Keys.TEXT
              || (key == Keys.CONTENT && d >= 2 && (parent == Keys.MESSAGE || parent == Keys.DELTA))
              || (d == 1 && (key == Keys.DELTA || key == Keys.RESPONSE));
      // streams repeat the full text in "done" events after the deltas: deltas win
      boolean delta = parent == Keys.DELTA || (d == 1 && key == Keys.DELTA);
      if (text && (delta || !sawDelta)) {
        int left = usageText != null ? JsonScanner.MAX_CAPTURE : content.remaining();
        if (left > 0) {
          target = delta ? T_OUTPUT_DELTA : T_OUTPUT_TEXT;
          return (int) Math.min((long) left * 3, JsonScanner.MAX_CAPTURE);
        }
      }
    }
    return 0;
  }

  /**
   * Reading the same value again right after changes nothing: first-wins fields, the finish reasons
   * (a set), the Responses API markers. Counts (last wins) and text (appended) do change.
   */
  @Override
  public boolean repeatableCapture() {
    switch (target) {
      case T_MODEL:
      case T_ID:
      case T_FINGERPRINT:
      case T_SERVICE_TIER:
      case T_FINISH:
      case T_OBJECT:
      case T_STATUS:
      case T_ERROR_TYPE:
      case T_ERROR_CODE:
        return true;
      default:
        return false;
    }
  }

  /** Targets kept once: the first value wins. */
  private boolean accepts(int t) {
    switch (t) {
      case T_MODEL:
        return model == null;
      case T_ID:
        return id == null;
      case T_FINISH:
        return finishReasons.size() < MAX_FINISH_REASONS;
      case T_FINGERPRINT:
        return systemFingerprint == null;
      default:
        return true;
    }
  }

  /**
   * The value equals {@code current} (ASCII compare): a stream repeats model and id in every chunk,
   * and one new String per chunk was the library's largest allocation.
   */
  static boolean same(String current, byte[] buf, int len) {
    if (current == null || current.length() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      byte b = buf[i];
      if (b < 0 || current.charAt(i) != (char) b) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void scalar(JsonScanner s, int kind, byte[] buf, int len, boolean truncated) {
    int t = target;
    target = T_NONE;
    switch (t) {
      case T_MODEL:
        if (len > 0 && !truncated) {
          model = same(model, buf, len) ? model : RecurringStrings.of(buf, len);
        }
        break;
      case T_ID:
        if (len > 0 && !truncated) {
          id = same(id, buf, len) ? id : new String(buf, 0, len, StandardCharsets.UTF_8);
        }
        break;
      case T_INPUT:
        input = number(buf, len, input);
        break;
      case T_OUTPUT:
        output = number(buf, len, output);
        break;
      case T_CACHE_READ_EXTRA:
        cacheReadExtra = number(buf, len, cacheReadExtra);
        break;
      case T_CACHE_WRITE_EXTRA:
        cacheWriteExtra = number(buf, len, cacheWriteExtra);
        break;
      case T_CACHE_READ_INCLUDED:
        cacheReadIncluded = number(buf, len, cacheReadIncluded);
        break;
      case T_DEEPSEEK_CACHE_HIT:
        deepseekCacheHit = number(buf, len, deepseekCacheHit);
        break;
      case T_REASONING:
        reasoning = number(buf, len, reasoning);
        break;
      case T_THOUGHTS:
        thoughts = number(buf, len, thoughts);
        break;
      case T_INVOCATION_INPUT:
        invocationInput = number(buf, len, invocationInput);
        break;
      case T_INVOCATION_OUTPUT:
        invocationOutput = number(buf, len, invocationOutput);
        break;
      case T_FINISH:
        if (len > 0 && !truncated) {
          addFinishReason(RecurringStrings.of(buf, len));
        }
        break;
      case T_FINGERPRINT:
        if (len > 0 && !truncated) {
          systemFingerprint =
              same(systemFingerprint, buf, len) ? systemFingerprint : RecurringStrings.of(buf, len);
        }
        break;
      case T_SERVICE_TIER:
        if (len > 0 && !truncated) {
          serviceTier = same(serviceTier, buf, len) ? serviceTier : RecurringStrings.of(buf, len);
        }
        break;
      case T_OBJECT:
        responsesObject |= RecurringStrings.equalsAscii("response", buf, len);
        break;
      case T_STATUS:
        if (len > 0 && !truncated) {
          responsesStatus = RecurringStrings.of(buf, len);
          if (s.depth() == 2) {
            responsesObject = true; // status inside a Responses API event's "response"
          }
        }
        break;
      case T_ERROR_TYPE:
        if (len > 0 && errorType == null) {
          errorType = new String(buf, 0, len, StandardCharsets.UTF_8);
        }
        break;
      case T_ERROR_CODE:
        if (len > 0 && errorCode == null) {
          errorCode = new String(buf, 0, len, StandardCharsets.UTF_8);
          errorCodeIsName = kind == JsonScanner.STRING;
        }
        break;
      case T_OUTPUT_DELTA:
        sawDelta = true;
        outputText(s, buf, len, truncated, true);
        break;
      case T_OUTPUT_TEXT:
        outputText(s, buf, len, truncated, false);
        break;
      case T_USAGE_ARGUMENTS:
        usageText.appendArguments(
            new String(buf, 0, len, StandardCharsets.UTF_8),
            truncated ? Math.max(0, s.valueBytes() - len) : 0);
        break;
      case T_BEDROCK_BYTES:
        if (!truncated) {
          scanWrappedChunk(buf, len);
        }
        break;
      default:
        break;
    }
  }

  private void outputText(JsonScanner s, byte[] buf, int len, boolean truncated, boolean delta) {
    if (content != null) {
      content.appendText(new String(buf, 0, len, StandardCharsets.UTF_8), truncated);
    }
    if (usageText != null) {
      // the bytes, not a String: most calls report usage and never decode them
      usageText.appendStreamed(
          buf, 0, len, truncated ? Math.max(0, s.valueBytes() - len) : 0, delta);
    }
  }

  /** invoke-with-response-stream: {"bytes":"<base64 of the model's own JSON event>"}. */
  private void scanWrappedChunk(byte[] buf, int len) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(new String(buf, 0, len, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException e) {
      return;
    }
    if (nested == null) {
      nested = new JsonScanner(this);
    }
    nested.reset();
    nested.accept(decoded, 0, decoded.length);
    nested.reset();
  }

  private void addFinishReason(String reason) {
    if (!finishReasons.contains(reason) && finishReasons.size() < MAX_FINISH_REASONS) {
      finishReasons.add(reason);
    }
  }

  private static long number(byte[] buf, int len, long previous) {
    long v = JsonScanner.parseLong(buf, len);
    return v >= 0 ? v : previous;
  }

  @Override
  public void containerStart(JsonScanner s, boolean object) {}

  @Override
  public void containerEnd(JsonScanner s, boolean object) {}

  public int retainedBytes() {
    return scanner.retainedBytes() + (nested == null ? 0 : nested.retainedBytes());
  }
}
