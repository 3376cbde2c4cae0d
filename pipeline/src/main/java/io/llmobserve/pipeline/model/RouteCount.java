package io.llmobserve.pipeline.model;

/**
 * Calls of one route (service, provider, hosting provider, hosting region, edge POP) in one
 * event-time window: where calls are really served. A Flink POJO; label values are bounded by the
 * label limiter and never null ("unknown" when the span did not say).
 *
 * <p>Shared by the pipeline's parts: fields may be added, not renamed or removed.
 */
public class RouteCount {
  public String service;
  public String provider;
  public String hostingProvider;
  public String region;
  public String edgePop;

  public long windowStart;
  public long windowEnd;

  /** Calls in the window; for a late re-firing only the increment since the last firing. */
  public long calls;

  public RouteCount() {}

  /** The window key of a call's route. */
  public static String key(LlmSpan s) {
    return s.service
        + '|'
        + s.provider
        + '|'
        + orUnknown(s.hostingProvider)
        + '|'
        + s.region
        + '|'
        + orUnknown(s.edgePop);
  }

  /** The window key of a (partial) count: the same as {@link #key(LlmSpan)} of its calls. */
  public String routeKey() {
    return service + '|' + provider + '|' + hostingProvider + '|' + region + '|' + edgePop;
  }

  public static String orUnknown(String v) {
    return v == null || v.isEmpty() ? "unknown" : v;
  }

  void takeLabels(LlmSpan s) {
    service = s.service;
    provider = s.provider;
    hostingProvider = orUnknown(s.hostingProvider);
    region = s.region;
    edgePop = orUnknown(s.edgePop);
  }

  /** Counts one call of this route. */
  public void add(LlmSpan s) {
    if (calls == 0) {
      takeLabels(s);
    }
    calls++;
  }

  /**
   * Counts one call before the label limits: an absent hosting provider or edge POP stays null (the
   * limiter bounds present values only, then {@link #orUnknown} applies).
   */
  public void addKeepingAbsent(LlmSpan s) {
    if (calls == 0) {
      service = s.service;
      provider = s.provider;
      hostingProvider = s.hostingProvider;
      region = s.region;
      edgePop = s.edgePop;
    }
    calls++;
  }

  /** Adds another partial count of the same route. */
  public RouteCount merge(RouteCount o) {
    if (calls == 0) {
      service = o.service;
      provider = o.provider;
      hostingProvider = o.hostingProvider;
      region = o.region;
      edgePop = o.edgePop;
    }
    calls += o.calls;
    return this;
  }
}
