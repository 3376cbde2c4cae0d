package io.llmobserve.providers;

import java.util.Locale;

/**
 * Removes credentials from URLs before they are recorded (url.full): the values of query parameters
 * that carry keys, tokens or signatures (Gemini's {@code key=}, Azure SAS {@code sig=}, AWS
 * presigned {@code X-Amz-Signature=}, ...) and any user:password in the authority.
 */
public final class UrlRedactor {
  private UrlRedactor() {}

  public static final String REDACTED = "REDACTED";

  private static final String[] SENSITIVE = {
    "key",
    "api-key",
    "api_key",
    "apikey",
    "x-api-key",
    "x-goog-api-key",
    "access_token",
    "id_token",
    "refresh_token",
    "token",
    "auth",
    "authorization",
    "client_secret",
    "password",
    "secret",
    "sig",
    "signature",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "awsaccesskeyid",
    "code",
  };

  /**
   * The URL with sensitive values replaced by {@value #REDACTED}; the same instance if clean; null
   * if it could not be read (fail closed: callers then record less, never the raw URL).
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    try {
      String withoutUser = redactUserInfo(url);
      int q = withoutUser.indexOf('?');
      if (q < 0) {
        return withoutUser;
      }
      int hash = withoutUser.indexOf('#', q);
      int end = hash < 0 ? withoutUser.length() : hash;
      StringBuilder sb = null;
      int start = q + 1;
      while (start <= end) {
        int amp = withoutUser.indexOf('&', start);
        if (amp < 0 || amp > end) {
          amp = end;
        }
        int eq = withoutUser.indexOf('=', start);
        if (eq > start && eq < amp && isSensitive(withoutUser, start, eq)) {
          if (sb == null) {
            sb = new StringBuilder(withoutUser.length());
            sb.append(withoutUser, 0, start);
          }
          sb.append(withoutUser, start, eq + 1).append(REDACTED);
        } else if (sb != null) {
          sb.append(withoutUser, start, amp);
        }
        if (sb != null && amp < end) {
          sb.append('&');
        }
        start = amp + 1;
      }
      if (sb == null) {
        return withoutUser;
      }
      sb.append(withoutUser, end, withoutUser.length());
      return sb.toString();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean isSensitive(String url, int from, int to) {
    String name = url.substring(from, to).toLowerCase(Locale.ROOT);
    if (name.indexOf('%') >= 0) {
      name = name.replace("%2d", "-").replace("%5f", "_");
    }
    for (String s : SENSITIVE) {
      if (s.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String redactUserInfo(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int authStart = scheme + 3;
    int authEnd = authStart;
    while (authEnd < url.length()) {
      char c = url.charAt(authEnd);
      if (c == '/' || c == '?' || c == '#') {
        break;
      }
      authEnd++;
    }
    int at = url.lastIndexOf('@', authEnd - 1);
    if (at < authStart) {
      return url;
    }
    return url.substring(0, authStart) + REDACTED + ":" + REDACTED + url.substring(at);
  }
}
