package io.llmobserve.providers.headers;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.provider.Provider;
import io.llmobserve.providers.provider.Providers;

/**
 * What the response headers say about where and how a call was served: hosting provider, region,
 * CDN point of presence, provider request id, server processing time and rate-limit headroom. Reads
 * only the named headers it knows (each provider's are in its class of {@code provider}); never
 * credentials or cookies.
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

  // header names from every provider (provider.Provider), first listed provider first
  private static final String[] PROCESSING_TIME_HEADERS =
      Providers.headers(Provider::processingTimeHeaders);
  private static final String[] REMAINING_REQUESTS = Providers.rateLimitHeaders(0);
  private static final String[] REMAINING_TOKENS = Providers.rateLimitHeaders(1);
  private static final String[] LIMIT_REQUESTS = Providers.rateLimitHeaders(2);
  private static final String[] LIMIT_TOKENS = Providers.rateLimitHeaders(3);
  private static final Provider[] CLOUDS = Providers.clouds();

  /** Request-id headers tried when the provider's own are absent (a gateway in front of it). */
  private static final String[] FALLBACK_REQUEST_ID_HEADERS = {
    "apim-request-id", "x-amzn-requestid"
  };

  private static final String[] DEFAULT_REQUEST_ID_HEADERS = {"x-request-id", "request-id"};

  /**
   * @param provider gen_ai.provider.name, to pick the request-id header
   * @param hostRegion region known from the host name (Bedrock, Vertex), or null
   * @param selfHosted the server is local/private (localhost, private address, Ollama)
   */
  public static ResponseHeaderInfo read(
      HeaderReader h, String provider, String hostRegion, boolean selfHosted) {
    ResponseHeaderInfo info = new ResponseHeaderInfo();
    Provider p = Providers.named(provider);
    info.contentType = h.get("content-type");
    info.contentEncoding = h.get("content-encoding");
    info.readHosting(h, p, provider, hostRegion, selfHosted);
    String id = firstNonEmpty(h, p == null ? DEFAULT_REQUEST_ID_HEADERS : p.requestIdHeaders());
    info.requestId = id != null ? id : firstNonEmpty(h, FALLBACK_REQUEST_ID_HEADERS);
    info.processingTimeSeconds = processingTime(h);
    info.remainingRequests = firstLong(h, REMAINING_REQUESTS);
    info.remainingTokens = firstLong(h, REMAINING_TOKENS);
    info.limitRequests = firstLong(h, LIMIT_REQUESTS);
    info.limitTokens = firstLong(h, LIMIT_TOKENS);
    return info;
  }

  private void readHosting(
      HeaderReader h, Provider p, String provider, String hostRegion, boolean selfHosted) {
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
    String msRegion = trimToNull(h.get("x-ms-region"));
    region = msRegion != null ? msRegion : hostRegion;
    // a configured endpoint named gcp.* is Google's
    String own =
        p != null
            ? p.hosting()
            : provider != null && provider.startsWith("gcp.") ? GenAiAttributes.HOSTING_GCP : null;
    for (Provider cloud : CLOUDS) {
      if (cloud.hosting().equals(own) || cloud.servedByItsCloud(h)) {
        hostingProvider = cloud.hosting();
        return;
      }
    }
    if (cfRay != null) {
      hostingProvider = GenAiAttributes.HOSTING_CLOUDFLARE;
    } else if (selfHosted || GenAiAttributes.HOSTING_SELF_HOSTED.equals(own)) {
      hostingProvider = GenAiAttributes.HOSTING_SELF_HOSTED;
    } else {
      hostingProvider = GenAiAttributes.HOSTING_UNKNOWN;
    }
  }

  private static double processingTime(HeaderReader h) {
    double ms = Double.NaN;
    for (String name : PROCESSING_TIME_HEADERS) {
      ms = h.getDouble(name);
      if (!Double.isNaN(ms)) {
        break;
      }
    }
    if (Double.isNaN(ms)) {
      ms = h.getDouble("x-envoy-upstream-service-time");
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
    return HeaderNumbers.parseDouble(value, start, end);
  }

  private static String firstNonEmpty(HeaderReader h, String[] names) {
    for (String name : names) {
      String v = trimToNull(h.get(name));
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static long firstLong(HeaderReader h, String[] names) {
    for (String name : names) {
      long v = h.getLong(name);
      if (v >= 0) {
        return v;
      }
    }
    return -1;
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
