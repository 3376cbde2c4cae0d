package io.llmobserve.providers.body;

import java.util.regex.Pattern;

/** Masks obvious credentials in captured prompt/completion text (only used when capture is on). */
public final class SecretRedactor {
  private SecretRedactor() {}

  private static final Pattern SECRETS =
      Pattern.compile(
          "(?i)\\b(?:sk|rk|pk)-(?:[a-z]+-)?[A-Za-z0-9_\\-]{12,}" // OpenAI/Anthropic style keys
              + "|\\bbearer\\s+[A-Za-z0-9._~+/=\\-]{8,}" // Authorization values
              + "|\\bAKIA[0-9A-Z]{16}\\b" // AWS access key ids
              + "|\\bAIza[0-9A-Za-z_\\-]{30,}" // Google API keys
              + "|\\bgh[pousr]_[A-Za-z0-9]{20,}" // GitHub tokens
              + "|\\beyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{10,}"); // JWTs

  public static final String MASK = "[REDACTED]";

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return SECRETS.matcher(text).replaceAll(MASK);
  }
}
