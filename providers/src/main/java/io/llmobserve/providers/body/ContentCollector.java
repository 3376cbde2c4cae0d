package io.llmobserve.providers.body;

/**
 * Builds gen_ai.input.messages / gen_ai.output.messages text (GenAI semconv JSON shape:
 * [{"role":..,"parts":[{"type":"text","content":..}]}]) within a character budget. Only used when
 * content capture is on; secrets are masked when the text is rendered.
 */
public final class ContentCollector {
  /** Default budget per attribute, in characters. */
  public static final int DEFAULT_CAP = 8 * 1024;

  private final int cap;
  private final StringBuilder messages = new StringBuilder();
  private final StringBuilder parts = new StringBuilder();
  private String role;
  private boolean inMessage;
  private boolean truncated;

  public ContentCollector(int cap) {
    this.cap = cap;
  }

  /** Characters still allowed for text (0 when full). */
  public int remaining() {
    int left = cap - messages.length() - parts.length() - 48;
    return Math.max(0, left);
  }

  public void beginMessage() {
    flushMessage();
    inMessage = true;
    role = null;
  }

  public void role(String value) {
    role = value;
  }

  /** A text part of the current message (or a message of its own with defaultRole). */
  public void text(String text, boolean cut, String defaultRole) {
    if (!inMessage) {
      beginMessage();
      role = defaultRole;
      addPart(text, cut);
      flushMessage();
      inMessage = false;
      return;
    }
    addPart(text, cut);
  }

  /** Streamed output: appends to the one text part of the one message. */
  public void appendText(String text, boolean cut) {
    int left = remaining();
    if (text.length() > left) {
      text = text.substring(0, left);
      cut = true;
    }
    escapeInto(parts, text);
    truncated |= cut;
  }

  private void addPart(String text, boolean cut) {
    int left = remaining();
    if (text.length() > left) {
      text = text.substring(0, left);
      cut = true;
    }
    if (parts.length() > 0) {
      parts.append(',');
    }
    parts.append("{\"type\":\"text\",\"content\":\"");
    escapeInto(parts, text);
    parts.append("\"}");
    truncated |= cut;
  }

  public void endMessage() {
    flushMessage();
    inMessage = false;
  }

  private void flushMessage() {
    if (inMessage && parts.length() > 0) {
      appendMessage(role == null ? "user" : role, parts);
    }
    parts.setLength(0);
  }

  private void appendMessage(String r, CharSequence renderedParts) {
    if (messages.length() > 0) {
      messages.append(',');
    }
    messages.append("{\"role\":\"");
    escapeInto(messages, r);
    messages.append("\",\"parts\":[").append(renderedParts).append("]}");
  }

  public boolean isEmpty() {
    return messages.length() == 0 && parts.length() == 0;
  }

  /** Input messages as JSON text, redacted; null when nothing was captured. */
  public String renderMessages() {
    flushMessage();
    inMessage = false;
    if (messages.length() == 0) {
      return null;
    }
    return SecretRedactor.redact("[" + messages + "]");
  }

  /** Output as one assistant message whose text is everything appended; null when empty. */
  public String renderOutput(String finishReason) {
    if (parts.length() == 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder(parts.length() + 96);
    sb.append("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"")
        .append(parts)
        .append("\"}]");
    if (finishReason != null) {
      sb.append(",\"finish_reason\":\"");
      escapeInto(sb, finishReason);
      sb.append('"');
    }
    sb.append("}]");
    return SecretRedactor.redact(sb.toString());
  }

  public boolean truncated() {
    return truncated;
  }

  static void escapeInto(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
  }
}
