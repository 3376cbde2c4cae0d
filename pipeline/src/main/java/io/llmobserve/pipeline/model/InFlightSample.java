package io.llmobserve.pipeline.model;

/**
 * The LLM calls an agent had in flight at one collection, for one stall key (service, provider,
 * request model or deployment, operation), from the agent's {@code gen_ai.client.operation.active}
 * and {@code gen_ai.client.operation.oldest_age} metrics. Points of one export that differ only in
 * server or region are merged: counts add up, the oldest age is the largest.
 *
 * <p>A Flink POJO shared by the pipeline's parts: fields may be added, not renamed.
 */
public class InFlightSample {
  public String service;
  public String provider;
  public String operation;

  /** gen_ai.request.model (the model or Azure deployment asked for), "unknown" when absent. */
  public String requestModel;

  /** llm.hosting.region of the oldest call when its response headers named it, else null. */
  public String region;

  public String serverAddress;

  /** Calls in flight. */
  public long active;

  /** Age of the oldest of them, seconds (0 when none). */
  public double oldestAgeSeconds;

  /** Collection time (the data point's time), epoch ms. */
  public long timeMillis;

  public InFlightSample() {}

  /** "service|provider|requestModel|operation": the stall detector's key. */
  public String stallKey() {
    return stallKey(service, provider, requestModel, operation);
  }

  public static String stallKey(
      String service, String provider, String requestModel, String operation) {
    return service
        + '|'
        + provider
        + '|'
        + (requestModel == null ? "unknown" : requestModel)
        + '|'
        + operation;
  }

  @Override
  public String toString() {
    return stallKey()
        + " active="
        + active
        + " oldest="
        + oldestAgeSeconds
        + "s region="
        + region
        + " t="
        + timeMillis;
  }
}
