package io.llmobserve.providers.body;

import io.llmobserve.providers.json.JsonHandler;
import io.llmobserve.providers.json.JsonScanner;
import io.llmobserve.providers.json.Keys;
import io.llmobserve.providers.json.RecurringStrings;
import io.llmobserve.providers.provider.Providers;
import java.nio.charset.StandardCharsets;

/**
 * Reads the request body's settings (model, stream, max tokens, temperature, include_usage) where
 * each provider declares them ({@code provider.Provider#requestFields}: top level, Gemini's
 * generationConfig, Bedrock's inferenceConfig, Ollama's options), plus the prompt text when capture
 * is on.
 */
public final class RequestBodyReader implements JsonHandler {
  /** Every provider's request fields, by key id. */
  private static final Fields FIELDS = Providers.requestFields();

  // what a field means: the targets a provider's request fields name (provider.Provider)
  private static final int T_NONE = 0;
  public static final int T_MODEL = 1;
  public static final int T_STREAM = 2;
  public static final int T_MAX_TOKENS = 3;
  public static final int T_TEMPERATURE = 4;
  public static final int T_INCLUDE_USAGE = 5;
  private static final int T_ROLE = 6;
  private static final int T_TEXT = 7;
  private static final int T_SYSTEM_TEXT = 8;
  private static final int T_PROMPT_TEXT = 9;

  private final JsonScanner scanner = new JsonScanner(this);
  private final ContentCollector content;
  private int target;

  public String model;

  /** null when not sent. */
  public Boolean stream;

  public long maxTokens = -1;
  public double temperature = Double.NaN;
  public Boolean includeUsage;

  public RequestBodyReader(boolean captureContent) {
    this.content = captureContent ? new ContentCollector(ContentCollector.DEFAULT_CAP) : null;
  }

  public JsonScanner scanner() {
    return scanner;
  }

  /** gen_ai.input.messages text, or null. */
  public String inputMessages() {
    return content == null ? null : content.renderMessages();
  }

  /** True when objects at depth 3 (elements of this top-level array) are messages. */
  private static boolean isMessageList(int key) {
    return key == Keys.MESSAGES || key == Keys.INPUT || key == Keys.CONTENTS;
  }

  @Override
  public int valueStart(JsonScanner s, int kind) {
    target = T_NONE;
    int d = s.depth();
    if (d <= 2) {
      int key = s.keyAt(d);
      Field[] fields = FIELDS.at(key);
      if (fields != null) {
        int kindBit =
            kind == JsonScanner.STRING
                ? Field.STRING
                : kind == JsonScanner.NUMBER
                    ? Field.NUMBER
                    : kind == JsonScanner.TRUE || kind == JsonScanner.FALSE ? Field.BOOLEAN : 0;
        int parent = d == 2 ? s.keyAt(1) : Keys.UNKNOWN;
        for (Field f : fields) {
          if (f.matches(d, parent, kindBit, d == 1) && accepts(f.target)) {
            target = f.target;
            return f.limit;
          }
        }
        return 0;
      }
      if (d == 1) {
        switch (key) {
          case Keys.SYSTEM:
          case Keys.INSTRUCTIONS:
            return wantText(kind, T_SYSTEM_TEXT);
          case Keys.PROMPT:
          case Keys.INPUT:
            return wantText(kind, T_PROMPT_TEXT);
          default:
            return 0;
        }
      }
      return 0;
    }
    if (content == null || kind != JsonScanner.STRING || d > 6) {
      return 0;
    }
    int key = s.keyAt(d);
    if (d == 3 && isMessageList(s.keyAt(1))) {
      if (key == Keys.ROLE) {
        return want(true, T_ROLE, 32);
      }
      if (key == Keys.CONTENT) {
        return wantText(kind, T_TEXT);
      }
    }
    if (key == Keys.TEXT) {
      if (d == 3 && s.keyAt(1) == Keys.SYSTEM) {
        return wantText(kind, T_SYSTEM_TEXT);
      }
      if (d == 4 && s.keyAt(1) == Keys.SYSTEM_INSTRUCTION_CAMEL) {
        return wantText(kind, T_SYSTEM_TEXT);
      }
      if (d == 5 && isMessageList(s.keyAt(1))) {
        return wantText(kind, T_TEXT); // messages[i].content[j].text, contents[i].parts[j].text
      }
    }
    return 0;
  }

  /** Targets kept once: the first value wins. */
  private boolean accepts(int t) {
    return t == T_MODEL ? model == null : t != T_MAX_TOKENS || maxTokens < 0;
  }

  private int want(boolean yes, int t, int limit) {
    if (!yes) {
      return 0;
    }
    target = t;
    return limit;
  }

  private int wantText(int kind, int t) {
    if (content == null || kind != JsonScanner.STRING) {
      return 0;
    }
    int left = content.remaining();
    if (left == 0) {
      return 0;
    }
    target = t;
    // bytes, not chars: allow for multi-byte UTF-8 so the char budget decides
    return (int) Math.min((long) left * 3, JsonScanner.MAX_CAPTURE);
  }

  @Override
  public void scalar(JsonScanner s, int kind, byte[] buf, int len, boolean truncated) {
    int t = target;
    target = T_NONE;
    switch (t) {
      case T_MODEL:
        if (!truncated && len > 0) {
          model = RecurringStrings.of(buf, len);
        }
        break;
      case T_STREAM:
        stream = kind == JsonScanner.TRUE;
        break;
      case T_INCLUDE_USAGE:
        includeUsage = kind == JsonScanner.TRUE;
        break;
      case T_MAX_TOKENS:
        if (maxTokens < 0) {
          maxTokens = JsonScanner.parseLong(buf, len);
        }
        break;
      case T_TEMPERATURE:
        temperature = JsonScanner.parseDouble(buf, len);
        break;
      case T_ROLE:
        content.role(new String(buf, 0, len, StandardCharsets.UTF_8));
        break;
      case T_TEXT:
        content.text(new String(buf, 0, len, StandardCharsets.UTF_8), truncated, "user");
        break;
      case T_SYSTEM_TEXT:
        content.text(new String(buf, 0, len, StandardCharsets.UTF_8), truncated, "system");
        break;
      case T_PROMPT_TEXT:
        content.text(new String(buf, 0, len, StandardCharsets.UTF_8), truncated, "user");
        break;
      default:
        break;
    }
  }

  @Override
  public void containerStart(JsonScanner s, boolean object) {
    if (content != null && object && s.depth() == 3 && isMessageList(s.keyAt(1))) {
      content.beginMessage();
    }
  }

  @Override
  public void containerEnd(JsonScanner s, boolean object) {
    if (content != null && object && s.depth() == 3 && isMessageList(s.keyAt(1))) {
      content.endMessage();
    }
  }
}
