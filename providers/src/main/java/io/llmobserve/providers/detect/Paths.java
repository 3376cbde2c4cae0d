package io.llmobserve.providers.detect;

import io.llmobserve.providers.GenAiAttributes;
import java.nio.charset.StandardCharsets;

/**
 * The path knowledge shared by all providers: the allocation-free pre-check, OpenAI-style operation
 * names, percent-decoding and private hosts. Each provider's own paths are in its class of {@code
 * provider}. All checks are suffix/substring compares on the path string.
 */
public final class Paths {
  private Paths() {}

  /**
   * False when no provider could read an inference operation from this path, whatever the host: the
   * pre-check every request goes through before anything is allocated. Conservative: true for every
   * path {@link io.llmobserve.providers.ProviderDetector#detect} may accept (guarded by
   * ProviderDetectorTest). Suffix and character compares only.
   */
  public static boolean mayBeOperation(String path) {
    if (path == null) {
      return false;
    }
    int end = path.indexOf('?'); // defensive, as detect: callers pass no query
    if (end < 0) {
      end = path.length();
    }
    int slash = path.lastIndexOf('/', end - 1);
    return mayBeOperationSegment(path, slash + 1, end) || path.startsWith("/model/");
  }

  /**
   * Same from decoded path segments (OkHttp keeps them; its encoded path is built on each call):
   * the first and the last.
   */
  public static boolean mayBeOperation(String firstSegment, String lastSegment) {
    if (lastSegment == null) {
      return false;
    }
    return mayBeOperationSegment(lastSegment, 0, lastSegment.length())
        || "model".equals(firstSegment);
  }

  /** The last path segment, s[from, to), names an operation (or a Google ":method"). */
  private static boolean mayBeOperationSegment(String s, int from, int to) {
    int len = to - from;
    if (len < 4) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == ':') {
        return true; // Gemini / Vertex "model:method"
      }
    }
    switch (s.charAt(from)) {
      case 'c':
        return is(s, from, len, "completions")
            || is(s, from, len, "chat")
            || is(s, from, len, "complete");
      case 'e':
        return is(s, from, len, "embeddings") || is(s, from, len, "embed");
      case 'r':
        return is(s, from, len, "responses");
      case 'm':
        return is(s, from, len, "messages");
      case 'g':
        return is(s, from, len, "generate");
      default:
        return false;
    }
  }

  private static boolean is(String s, int from, int len, String word) {
    return len == word.length() && s.startsWith(word, from);
  }

  /** Operation of OpenAI-/Anthropic-/Ollama-shaped paths, or null. */
  public static String operation(String path) {
    if (path.endsWith("/chat/completions")) {
      return GenAiAttributes.OP_CHAT;
    }
    if (path.endsWith("/completions")) {
      return GenAiAttributes.OP_TEXT_COMPLETION; // includes Mistral /v1/fim/completions
    }
    if (path.endsWith("/embeddings") || path.endsWith("/api/embed")) {
      return GenAiAttributes.OP_EMBEDDINGS;
    }
    if (path.endsWith("/responses") || path.endsWith("/messages") || path.endsWith("/api/chat")) {
      return GenAiAttributes.OP_CHAT;
    }
    if (path.endsWith("/api/generate")) {
      return GenAiAttributes.OP_TEXT_COMPLETION;
    }
    return null;
  }

  /** Percent-decoding for model ids (anthropic.claude-3-5-sonnet-20240620-v1%3A0). */
  public static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s.length() > 256 ? null : s;
    }
    byte[] out = new byte[s.length()];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out[n++] = (byte) ((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      out[n++] = (byte) c;
    }
    String r = new String(out, 0, n, StandardCharsets.UTF_8);
    return r.length() > 256 ? null : r;
  }

  /** localhost, loopback, private IPv4 ranges and cluster-internal names. */
  public static boolean isPrivateHost(String host) {
    if (host.equals("localhost")
        || host.equals("::1")
        || host.equals("[::1]")
        || host.equals("0.0.0.0")) {
      return true;
    }
    if (host.startsWith("127.") || host.startsWith("10.") || host.startsWith("192.168.")) {
      return true;
    }
    if (host.startsWith("172.")) {
      int dot = host.indexOf('.', 4);
      if (dot > 4) {
        try {
          int second = Integer.parseInt(host.substring(4, dot));
          return second >= 16 && second <= 31;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return host.endsWith(".local")
        || host.endsWith(".internal")
        || host.endsWith(".svc")
        || host.endsWith(".cluster.local")
        || host.endsWith(".localhost");
  }
}
