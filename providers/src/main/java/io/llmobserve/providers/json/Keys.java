package io.llmobserve.providers.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JSON object keys the readers care about, as small int ids. {@link JsonScanner} resolves each
 * key once, without allocating, so handlers compare ints instead of strings.
 */
public final class Keys {
  private Keys() {}

  /** Any key not listed here. */
  public static final int UNKNOWN = -1;

  /** The slot of an array element (keyAt() inside arrays). */
  public static final int ARRAY = -2;

  public static final int MODEL = 0;
  public static final int STREAM = 1;
  public static final int MAX_TOKENS = 2;
  public static final int MAX_COMPLETION_TOKENS = 3;
  public static final int MAX_OUTPUT_TOKENS = 4;
  public static final int TEMPERATURE = 5;
  public static final int STREAM_OPTIONS = 6;
  public static final int INCLUDE_USAGE = 7;
  public static final int USAGE = 8;
  public static final int PROMPT_TOKENS = 9;
  public static final int COMPLETION_TOKENS = 10;
  public static final int INPUT_TOKENS = 11;
  public static final int OUTPUT_TOKENS = 12;
  public static final int PROMPT_TOKENS_DETAILS = 13;
  public static final int COMPLETION_TOKENS_DETAILS = 14;
  public static final int INPUT_TOKENS_DETAILS = 15;
  public static final int OUTPUT_TOKENS_DETAILS = 16;
  public static final int CACHED_TOKENS = 17;
  public static final int REASONING_TOKENS = 18;
  public static final int CACHE_READ_INPUT_TOKENS = 19;
  public static final int CACHE_CREATION_INPUT_TOKENS = 20;
  public static final int PROMPT_CACHE_HIT_TOKENS = 21;
  public static final int ID = 22;
  public static final int MESSAGE = 23;
  public static final int RESPONSE = 24;
  public static final int CHOICES = 25;
  public static final int FINISH_REASON = 26;
  public static final int STOP_REASON = 27;
  public static final int DONE_REASON = 28;
  public static final int FINISH_REASON_CAMEL = 29;
  public static final int STOP_REASON_CAMEL = 30;
  public static final int SYSTEM_FINGERPRINT = 31;
  public static final int SERVICE_TIER = 32;
  public static final int ERROR = 33;
  public static final int TYPE = 34;
  public static final int CODE = 35;
  public static final int OBJECT = 36;
  public static final int STATUS = 37;
  public static final int PROMPT_EVAL_COUNT = 38;
  public static final int EVAL_COUNT = 39;
  public static final int DELTA = 40;
  public static final int CONTENT = 41;
  public static final int TEXT = 42;
  public static final int ROLE = 43;
  public static final int MESSAGES = 44;
  public static final int SYSTEM = 45;
  public static final int INPUT = 46;
  public static final int PROMPT = 47;
  public static final int PARTS = 48;
  public static final int CONTENTS = 49;
  public static final int CANDIDATES = 50;
  public static final int OUTPUT = 51;
  public static final int USAGE_METADATA_CAMEL = 52;
  public static final int PROMPT_TOKEN_COUNT_CAMEL = 53;
  public static final int CANDIDATES_TOKEN_COUNT_CAMEL = 54;
  public static final int THOUGHTS_TOKEN_COUNT_CAMEL = 55;
  public static final int CACHED_CONTENT_TOKEN_COUNT_CAMEL = 56;
  public static final int MODEL_VERSION_CAMEL = 57;
  public static final int RESPONSE_ID_CAMEL = 58;
  public static final int INPUT_TOKENS_CAMEL = 59;
  public static final int OUTPUT_TOKENS_CAMEL = 60;
  public static final int CACHE_READ_INPUT_TOKENS_CAMEL = 61;
  public static final int CACHE_WRITE_INPUT_TOKENS_CAMEL = 62;
  public static final int GENERATION_CONFIG_CAMEL = 63;
  public static final int MAX_OUTPUT_TOKENS_CAMEL = 64;
  public static final int INFERENCE_CONFIG_CAMEL = 65;
  public static final int MAX_TOKENS_CAMEL = 66;
  public static final int OPTIONS = 67;
  public static final int NUM_PREDICT = 68;
  public static final int TOKENS = 69;
  public static final int INSTRUCTIONS = 70;
  public static final int SYSTEM_INSTRUCTION_CAMEL = 71;
  public static final int BYTES = 72;
  public static final int AMAZON_BEDROCK_INVOCATION_METRICS_CAMEL = 73;
  public static final int INPUT_TOKEN_COUNT_CAMEL = 74;
  public static final int OUTPUT_TOKEN_COUNT_CAMEL = 75;
  public static final int MESSAGE_TYPE = 76;
  // token counting when the response reports no usage (usage.RequestUsageText)
  public static final int TOOLS = 77;
  public static final int FUNCTION = 78;
  public static final int PARAMETERS = 79;
  public static final int PROPERTIES = 80;
  public static final int DESCRIPTION = 81;
  public static final int ENUM = 82;
  public static final int NAME = 83;
  public static final int TOOL_CALLS = 84;
  public static final int ARGUMENTS = 85;
  public static final int REFUSAL = 86;
  public static final int TOOL_CALL_ID = 87;
  public static final int PARTIAL_JSON = 88;

  static final String[] NAMES = {
    "model",
    "stream",
    "max_tokens",
    "max_completion_tokens",
    "max_output_tokens",
    "temperature",
    "stream_options",
    "include_usage",
    "usage",
    "prompt_tokens",
    "completion_tokens",
    "input_tokens",
    "output_tokens",
    "prompt_tokens_details",
    "completion_tokens_details",
    "input_tokens_details",
    "output_tokens_details",
    "cached_tokens",
    "reasoning_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
    "prompt_cache_hit_tokens",
    "id",
    "message",
    "response",
    "choices",
    "finish_reason",
    "stop_reason",
    "done_reason",
    "finishReason",
    "stopReason",
    "system_fingerprint",
    "service_tier",
    "error",
    "type",
    "code",
    "object",
    "status",
    "prompt_eval_count",
    "eval_count",
    "delta",
    "content",
    "text",
    "role",
    "messages",
    "system",
    "input",
    "prompt",
    "parts",
    "contents",
    "candidates",
    "output",
    "usageMetadata",
    "promptTokenCount",
    "candidatesTokenCount",
    "thoughtsTokenCount",
    "cachedContentTokenCount",
    "modelVersion",
    "responseId",
    "inputTokens",
    "outputTokens",
    "cacheReadInputTokens",
    "cacheWriteInputTokens",
    "generationConfig",
    "maxOutputTokens",
    "inferenceConfig",
    "maxTokens",
    "options",
    "num_predict",
    "tokens",
    "instructions",
    "systemInstruction",
    "bytes",
    "amazon-bedrock-invocationMetrics",
    "inputTokenCount",
    "outputTokenCount",
    "message_type",
    "tools",
    "function",
    "parameters",
    "properties",
    "description",
    "enum",
    "name",
    "tool_calls",
    "arguments",
    "refusal",
    "tool_call_id",
    "partial_json",
  };

  /** Longest key that is looked up; longer keys are UNKNOWN without comparing. */
  static final int MAX_KEY_LENGTH = 40;

  /**
   * {@link #NAMES}, then the key names only a provider's fields use ({@code provider.Provider}),
   * whose ids follow: a new provider's key needs no constant here.
   */
  static final String[] ALL = withProviderKeys();

  private static final byte[][] KEY_BYTES = new byte[ALL.length][];
  private static final int MASK = 255;
  private static final int[] TABLE = new int[MASK + 1];

  private static String[] withProviderKeys() {
    java.util.Set<String> all = new java.util.LinkedHashSet<>(java.util.Arrays.asList(NAMES));
    all.addAll(io.llmobserve.providers.provider.Providers.fieldNames());
    if (all.size() > MASK / 2) {
      throw new IllegalStateException("more keys than the table holds: " + all.size());
    }
    return all.toArray(new String[0]);
  }

  static {
    java.util.Arrays.fill(TABLE, -1);
    for (int id = 0; id < ALL.length; id++) {
      KEY_BYTES[id] = ALL[id].getBytes(StandardCharsets.US_ASCII);
      int slot = hash(KEY_BYTES[id], KEY_BYTES[id].length) & MASK;
      while (TABLE[slot] != -1) {
        slot = (slot + 1) & MASK;
      }
      TABLE[slot] = id;
    }
  }

  static int hash(byte[] b, int len) {
    int h = 0;
    for (int i = 0; i < len; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 7);
  }

  /** Id of the key in b[0, len), or {@link #UNKNOWN}. */
  public static int lookup(byte[] b, int len) {
    int h = 0;
    for (int i = 0; i < len && i <= MAX_KEY_LENGTH; i++) {
      h = 31 * h + b[i];
    }
    return lookup(b, 0, len, h);
  }

  /**
   * Id of the key in b[off, off + len) whose polynomial hash (h = 31 * h + byte) the caller
   * computed while scanning it, or {@link #UNKNOWN}.
   */
  public static int lookup(byte[] b, int off, int len, int rawHash) {
    if (len > MAX_KEY_LENGTH) {
      return UNKNOWN;
    }
    int slot = (rawHash ^ (rawHash >>> 7)) & MASK;
    while (true) {
      int id = TABLE[slot];
      if (id < 0) {
        return UNKNOWN;
      }
      byte[] k = KEY_BYTES[id];
      if (k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
        return id;
      }
      slot = (slot + 1) & MASK;
    }
  }

  public static String name(int id) {
    return id >= 0 && id < ALL.length ? ALL[id] : (id == ARRAY ? "[]" : "?");
  }

  /** The id of a key name (a provider's field), or {@link #UNKNOWN}. */
  public static int id(String name) {
    byte[] b = name.getBytes(StandardCharsets.US_ASCII);
    return lookup(b, b.length);
  }
}
