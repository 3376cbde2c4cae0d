package io.llmobserve.providers.headers;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.HeaderReader;
import java.util.Locale;

/**
 * What the response headers say about where and how a call was served: hosting provider, region,
 * CDN point of presence, provider request id, server processing time and rate-limit headroom. Reads
 * only the named headers it knows; never credentials or cookies.
 */
public final class ResponseHeaderInfo {
  public String contentType;
  public String contentEncoding;
  public String hostingProvider;
  public String region;
  public String edgePop;
  public String requestId;

  /** Seconds, NaN when not reported. */
  public double processingTimeSeconds = Double.NaN;

  public long remainingRequests = -1;
  public long remainingTokens = -1;
  public long limitRequests = -1;
  public long limitTokens = -1;

  /**
   * @param provider gen_ai.provider.name, to pick the request-id header
   * @param hostRegion region known from the host name (Bedrock, Vertex), or null
   * @param selfHosted the server is local/private (localhost, private address, Ollama)
   */
  public static ResponseHeaderInfo read(
      HeaderReader h, String provider, String hostRegion, boolean selfHosted) {
    ResponseHeaderInfo info = new ResponseHeaderInfo();
    info.contentType = h.get("content-type");
    info.contentEncoding = h.get("content-encoding");
    info.readHosting(h, provider, hostRegion, selfHosted);
    info.requestId = requestId(h, provider);
    info.processingTimeSeconds = processingTime(h);
    info.remainingRequests =
        firstLong(h, "x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining");
    info.remainingTokens =
        firstLong(h, "x-ratelimit-remaining-tokens", "anthropic-ratelimit-tokens-remaining");
    info.limitRequests =
        firstLong(h, "x-ratelimit-limit-requests", "anthropic-ratelimit-requests-limit");
    info.limitTokens = firstLong(h, "x-ratelimit-limit-tokens", "anthropic-ratelimit-tokens-limit");
    return info;
  }

  private void readHosting(HeaderReader h, String provider, String hostRegion, boolean selfHosted) {
    String msRegion = trimToNull(h.get("x-ms-region"));
    String cfRay = h.get("cf-ray");
    if (cfRay != null) {
      int dash = cfRay.lastIndexOf('-');
      if (dash >= 0 && dash < cfRay.length() - 1) {
        edgePop = trimToNull(cfRay.substring(dash + 1));
      }
    }
    if (edgePop == null) {
      String cloudFront = h.get("x-amz-cf-pop"); // e.g. SFO5-C1
      if (cloudFront != null && !cloudFront.isEmpty()) {
        edgePop = trimToNull(cloudFront);
      }
    }
    region = msRegion != null ? msRegion : hostRegion;
    if (msRegion != null
        || h.get("apim-request-id") != null
        || h.get("azureml-model-session") != null
        || h.get("x-ms-client-request-id") != null
        || h.get("x-ms-deployment-name") != null
        || h.get("x-ms-rai-invoked") != null
        || GenAiAttributes.PROVIDER_AZURE_OPENAI.equals(provider)) {
      hostingProvider = GenAiAttributes.HOSTING_AZURE;
    } else if (h.get("x-amzn-requestid") != null
        || h.get("x-amzn-bedrock-invocation-latency") != null
        || h.get("x-amz-apigw-id") != null
        || GenAiAttributes.PROVIDER_AWS_BEDROCK.equals(provider)) {
      hostingProvider = GenAiAttributes.HOSTING_AWS;
    } else if (isGoogle(h) || (provider != null && provider.startsWith("gcp."))) {
      hostingProvider = GenAiAttributes.HOSTING_GCP;
    } else if (cfRay != null) {
      hostingProvider = GenAiAttributes.HOSTING_CLOUDFLARE;
    } else if (selfHosted || GenAiAttributes.PROVIDER_OLLAMA.equals(provider)) {
      hostingProvider = GenAiAttributes.HOSTING_SELF_HOSTED;
    } else {
      hostingProvider = GenAiAttributes.HOSTING_UNKNOWN;
    }
  }

  private static boolean isGoogle(HeaderReader h) {
    String server = h.get("server");
    if (server != null
        && (server.contains("Google Frontend")
            || server.equals("ESF")
            || server.startsWith("scaffolding on HTTPServer2"))) {
      return true;
    }
    String via = h.get("via");
    if (via != null && via.toLowerCase(Locale.ROOT).contains("google")) {
      return true;
    }
    return h.get("x-goog-request-id") != null
        || h.get("x-goog-safety-encoding") != null
        || h.get("x-guploader-uploadid") != null
        || h.get("x-cloud-trace-context") != null;
  }

  private static String requestId(HeaderReader h, String provider) {
    String id;
    if (GenAiAttributes.PROVIDER_AZURE_OPENAI.equals(provider)) {
      id = firstNonEmpty(h, "apim-request-id", "x-request-id");
    } else if (GenAiAttributes.PROVIDER_ANTHROPIC.equals(provider)) {
      id = firstNonEmpty(h, "request-id", "x-request-id");
    } else if (GenAiAttributes.PROVIDER_AWS_BEDROCK.equals(provider)) {
      id = firstNonEmpty(h, "x-amzn-requestid", "x-amz-request-id");
    } else {
      id = firstNonEmpty(h, "x-request-id", "request-id");
    }
    if (id == null) {
      id = firstNonEmpty(h, "apim-request-id", "x-amzn-requestid");
    }
    return id;
  }

  private static double processingTime(HeaderReader h) {
    double ms = parseDouble(h.get("openai-processing-ms"));
    if (Double.isNaN(ms)) {
      ms = parseDouble(h.get("x-amzn-bedrock-invocation-latency"));
    }
    if (Double.isNaN(ms)) {
      ms = parseDouble(h.get("x-envoy-upstream-service-time"));
    }
    if (Double.isNaN(ms)) {
      ms = serverTimingDur(h.get("server-timing"));
    }
    return Double.isNaN(ms) || ms < 0 ? Double.NaN : ms / 1000.0;
  }

  /** Sum is wrong for overlapping metrics; take the first dur= (usually the total). */
  static double serverTimingDur(String value) {
    if (value == null) {
      return Double.NaN;
    }
    int p = value.indexOf("dur=");
    if (p < 0) {
      return Double.NaN;
    }
    int start = p + 4;
    int end = start;
    while (end < value.length()) {
      char c = value.charAt(end);
      if ((c >= '0' && c <= '9') || c == '.') {
        end++;
      } else {
        break;
      }
    }
    return parseDouble(value.substring(start, end));
  }

  private static String firstNonEmpty(HeaderReader h, String a, String b) {
    String v = trimToNull(h.get(a));
    return v != null ? v : trimToNull(h.get(b));
  }

  private static long firstLong(HeaderReader h, String a, String b) {
    long v = parseLong(h.get(a));
    return v >= 0 ? v : parseLong(h.get(b));
  }

  static long parseLong(String s) {
    if (s == null) {
      return -1;
    }
    s = s.trim();
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  static double parseDouble(String s) {
    if (s == null) {
      return Double.NaN;
    }
    s = s.trim();
    if (s.isEmpty() || s.length() > 24) {
      return Double.NaN;
    }
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String trimToNull(String s) {
    if (s == null) {
      return null;
    }
    s = s.trim();
    if (s.length() > 256) {
      s = s.substring(0, 256); // a header is not a place to hold megabytes of our memory
    }
    return s.isEmpty() ? null : s;
  }
}
