package io.llmobserve.simulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an incident does to the calls it matches. */
public enum IncidentKind {
  /**
   * Adds {@code extraLatencyMs}: to a JSON response's wait, spread over a stream's chunk gaps (TTFT
   * unchanged).
   */
  LATENCY_SPIKE,
  /** Adds {@code extraTtftMs} (or {@code extraLatencyMs}) before a stream's first chunk. */
  TTFT_REGRESSION,
  /** Answers 429 (retry-after, remaining = 0) to {@code rate} of matching calls. */
  THROTTLING_STORM,
  /** Answers {@code status} (default 500) to {@code rate} of matching calls. */
  ERROR_BURST,
  /**
   * Serves {@code responseModel} (and/or {@code systemFingerprint}) instead of the usual version.
   */
  MODEL_VERSION_CHANGE,
  /** Serves from {@code newRegion} (x-ms-region) and/or {@code newPop} (cf-ray suffix). */
  REGION_CHANGE,
  /**
   * Cuts {@code rate} of matching responses off mid-body: streams after {@code afterChunks} writes
   * (default: half), JSON after half its bytes. The client sees a truncated body / reset stream.
   */
  STREAM_ABORT,
  /**
   * Holds matching responses: nothing (not even headers) is sent for {@code extraLatencyMs}
   * (default 10 minutes, the OpenAI SDK's timeout), for JSON and streams alike; a region outage as
   * the client sees it. Calls already held stay held when the incident is cleared.
   */
  HANG;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static IncidentKind parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
