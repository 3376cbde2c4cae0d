package io.llmobserve.providers.usage;

import io.llmobserve.providers.json.JsonHandler;
import io.llmobserve.providers.json.JsonScanner;
import io.llmobserve.providers.json.Keys;
import java.nio.charset.StandardCharsets;

/**
 * Collects what a provider tokenises from a request body into a {@link UsageText}, for counting
 * when the response reports no usage. Runs on its own {@link JsonScanner} over the request bytes
 * (the settings reader stays untouched), with object keys reported (tool parameter names).
 *
 * <p>OpenAI rules (chat completions, the Responses API's message input, every OpenAI-compatible
 * server): OpenAI's published counting for chat messages: 3 tokens per message, every field value
 * (role, content, name + 1, tool_call_id, refusal, earlier tool calls' names and arguments) encoded
 * separately, content parts' text, 3 tokens priming the reply; tool definitions as {@code
 * name:description} and {@code property:type:description} lines plus fixed overheads ({@link
 * UsageEstimator}). Other formats (Anthropic, Gemini, Bedrock, Cohere): every string value of the
 * prompt-carrying fields, 3 tokens per message; the provider's calibration factor is applied later.
 */
public final class RequestUsageText implements JsonHandler {
  private static final int MAX_DEPTH = 12;
  private static final int T_NONE = 0;
  private static final int T_PIECE = 1;
  private static final int T_NAME = 2; // a message's name: one extra token
  private static final int T_FUNCTION_NAME = 3;
  private static final int T_FUNCTION_DESCRIPTION = 4;
  private static final int T_PROPERTY_TYPE = 5;
  private static final int T_PROPERTY_DESCRIPTION = 6;
  private static final int T_ENUM_ITEM = 7;

  private final UsageText text;
  private final boolean openAiRules;
  private int target;

  // the tool being read (OpenAI rules)
  private String functionName;
  private String functionDescription;
  private int functionProperties;
  private String propertyName;
  private String propertyType;
  private String propertyDescription;
  private boolean propertyHasEnum;

  public RequestUsageText(UsageText text, boolean openAiRules) {
    this.text = text;
    this.openAiRules = openAiRules;
  }

  /** A scanner over request bytes feeding this handler. */
  public static JsonScanner scanner(UsageText text, boolean openAiRules) {
    JsonScanner s = new JsonScanner(new RequestUsageText(text, openAiRules));
    s.setReportKeys(true);
    return s;
  }

  private static boolean isMessageList(int key) {
    return key == Keys.MESSAGES || key == Keys.INPUT || key == Keys.CONTENTS;
  }

  private static boolean isPromptField(int key) {
    return isMessageList(key)
        || key == Keys.SYSTEM
        || key == Keys.SYSTEM_INSTRUCTION_CAMEL
        || key == Keys.INSTRUCTIONS
        || key == Keys.PROMPT
        || key == Keys.TOOLS;
  }

  /** Depth of the function object of a tool definition: 4 ({"function":{..}}), 3 (flat), -1. */
  private static int functionDepth(JsonScanner s) {
    if (s.keyAt(1) != Keys.TOOLS || s.depth() < 3) {
      return -1;
    }
    return s.depth() >= 4 && s.keyAt(3) == Keys.FUNCTION ? 4 : 3;
  }

  @Override
  public int valueStart(JsonScanner s, int kind) {
    target = T_NONE;
    int d = s.depth();
    if (kind != JsonScanner.STRING || d == 0 || d > MAX_DEPTH || !isPromptField(s.keyAt(1))) {
      return 0;
    }
    int key = s.keyAt(d);
    if (d == 1) {
      return want(T_PIECE); // system / instructions / prompt / input given as one string
    }
    if (!openAiRules) {
      if (key == Keys.TYPE || key == Keys.ROLE || key == Keys.ID || key == Keys.TOOL_CALL_ID) {
        return 0;
      }
      return want(T_PIECE);
    }
    if (s.keyAt(1) == Keys.TOOLS) {
      return toolValue(s, d, key);
    }
    if (!isMessageList(s.keyAt(1))) {
      // system blocks and the like, outside OpenAI's own format: their text only
      return key == Keys.TEXT || key == Keys.CONTENT ? want(T_PIECE) : 0;
    }
    if (d == 3) {
      if (key == Keys.NAME) {
        return want(T_NAME);
      }
      boolean counted =
          key == Keys.ROLE
              || key == Keys.CONTENT
              || key == Keys.TOOL_CALL_ID
              || key == Keys.REFUSAL;
      return counted ? want(T_PIECE) : 0;
    }
    if (d == 5 && s.keyAt(3) == Keys.CONTENT && (key == Keys.TEXT || key == Keys.REFUSAL)) {
      return want(T_PIECE);
    }
    if (d == 6
        && s.keyAt(3) == Keys.TOOL_CALLS
        && s.keyAt(5) == Keys.FUNCTION
        && (key == Keys.NAME || key == Keys.ARGUMENTS)) {
      return want(T_PIECE);
    }
    return 0;
  }

  private int toolValue(JsonScanner s, int d, int key) {
    int f = functionDepth(s);
    if (f < 0) {
      return 0;
    }
    if (d == f) {
      if (key == Keys.NAME) {
        return want(T_FUNCTION_NAME);
      }
      if (key == Keys.DESCRIPTION) {
        return want(T_FUNCTION_DESCRIPTION);
      }
      return 0;
    }
    if (d == f + 3 && s.keyAt(f) == Keys.PARAMETERS && s.keyAt(f + 1) == Keys.PROPERTIES) {
      if (key == Keys.TYPE) {
        return want(T_PROPERTY_TYPE);
      }
      if (key == Keys.DESCRIPTION) {
        return want(T_PROPERTY_DESCRIPTION);
      }
      return 0;
    }
    if (d == f + 4
        && s.keyAt(f) == Keys.PARAMETERS
        && s.keyAt(f + 1) == Keys.PROPERTIES
        && s.keyAt(f + 3) == Keys.ENUM) {
      return want(T_ENUM_ITEM);
    }
    return 0;
  }

  private int want(int t) {
    target = t;
    return JsonScanner.MAX_CAPTURE;
  }

  @Override
  public void scalar(JsonScanner s, int kind, byte[] buf, int len, boolean truncated) {
    int t = target;
    target = T_NONE;
    if (t == T_NONE) {
      return;
    }
    String value = new String(buf, 0, len, StandardCharsets.UTF_8);
    long missed = truncated ? Math.max(0, s.valueBytes() - len) : 0;
    switch (t) {
      case T_PIECE:
        text.piece(value, missed);
        break;
      case T_NAME:
        text.piece(value, missed);
        text.overhead(1);
        break;
      case T_FUNCTION_NAME:
        functionName = value;
        break;
      case T_FUNCTION_DESCRIPTION:
        functionDescription = value;
        text.piece("", missed);
        break;
      case T_PROPERTY_TYPE:
        propertyType = value;
        break;
      case T_PROPERTY_DESCRIPTION:
        propertyDescription = value;
        text.piece("", missed);
        break;
      case T_ENUM_ITEM:
        propertyHasEnum = true;
        text.enumItems++;
        text.piece(value, missed);
        break;
      default:
        break;
    }
  }

  @Override
  public void key(JsonScanner s, byte[] bytes, int offset, int length) {
    int d = s.depth();
    if (s.keyAt(1) != Keys.TOOLS || d < 4 || s.keyAt(d - 1) != Keys.PROPERTIES) {
      return;
    }
    String name = new String(bytes, offset, length, StandardCharsets.UTF_8);
    if (openAiRules) {
      int f = functionDepth(s);
      if (f > 0 && d == f + 2 && s.keyAt(f) == Keys.PARAMETERS) {
        propertyName = name;
      }
    } else {
      text.piece(name, 0);
    }
  }

  @Override
  public void containerStart(JsonScanner s, boolean object) {
    int d = s.depth();
    if (d == 3 && object && isMessageList(s.keyAt(1)) && s.keyAt(2) == Keys.ARRAY) {
      text.message();
      text.overhead(3);
      return;
    }
    if (!openAiRules || s.keyAt(1) != Keys.TOOLS || !object) {
      return;
    }
    if (d == 3) {
      functionName = null;
      functionDescription = null;
      functionProperties = 0;
      return;
    }
    int f = functionDepth(s);
    if (f > 0 && d == f + 3 && s.keyAt(f) == Keys.PARAMETERS && s.keyAt(f + 1) == Keys.PROPERTIES) {
      propertyType = null;
      propertyDescription = null;
      propertyHasEnum = false;
    }
  }

  @Override
  public void containerEnd(JsonScanner s, boolean object) {
    int d = s.depth();
    if (openAiRules && d == 2 && !object && isMessageList(s.keyAt(1))) {
      text.overhead(3); // every reply is primed with <|start|>assistant<|message|>
      return;
    }
    if (!openAiRules || s.keyAt(1) != Keys.TOOLS || !object) {
      return;
    }
    int f = functionDepth(s);
    if (f > 0 && d == f + 3 && s.keyAt(f) == Keys.PARAMETERS && s.keyAt(f + 1) == Keys.PROPERTIES) {
      text.properties++;
      functionProperties++;
      if (propertyHasEnum) {
        text.enums++;
      }
      text.piece(
          (propertyName == null ? "" : propertyName)
              + ":"
              + (propertyType == null ? "" : propertyType)
              + ":"
              + withoutFinalPeriod(propertyDescription),
          0);
      propertyName = null;
      return;
    }
    if (d == 3) {
      if (functionName == null && functionDescription == null) {
        return; // not a function tool (e.g. a built-in tool)
      }
      text.functions++;
      if (functionProperties > 0) {
        text.functionsWithProperties++;
      }
      text.piece(
          (functionName == null ? "" : functionName)
              + ":"
              + withoutFinalPeriod(functionDescription),
          0);
    }
  }

  private static String withoutFinalPeriod(String s) {
    if (s == null) {
      return "";
    }
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
