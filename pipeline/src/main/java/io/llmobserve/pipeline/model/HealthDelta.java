package io.llmobserve.pipeline.model;

/**
 * An increment of one of the pipeline's own health counters (llm_pipeline_*). Flows through the job
 * like any record so the metrics sink counts it in checkpointed state, exactly once.
 */
public class HealthDelta {
  public static final String RECEIVED = "llm_pipeline_spans_received";
  public static final String REJECTED = "llm_pipeline_spans_rejected";
  public static final String DROPPED = "llm_pipeline_spans_dropped";
  public static final String LATE = "llm_pipeline_late_spans";
  public static final String MALFORMED = "llm_pipeline_malformed_requests";

  /**
   * OTLP records (Kafka) over a request limit; reason = too_many_spans, too_many_attributes, ...
   */
  public static final String RECORDS_REJECTED = "llm_pipeline_records_rejected";

  /**
   * Implausible optional attributes cleared from a kept call; reason = implausible_duration, ...
   */
  public static final String ATTRIBUTES_DROPPED = "llm_pipeline_attributes_dropped";

  /** Counter name without the _total suffix. */
  public String metric;

  /** Value of the "reason" label, null for unlabelled counters. */
  public String reason;

  public long count;

  public HealthDelta() {}

  public static HealthDelta of(String metric, String reason, long count) {
    HealthDelta d = new HealthDelta();
    d.metric = metric;
    d.reason = reason;
    d.count = count;
    return d;
  }

  @Override
  public String toString() {
    return metric + (reason == null ? "" : "{reason=" + reason + "}") + "+" + count;
  }
}
