package io.llmobserve.pipeline.detect;

/** Per-key state of an event detector (model_drift, routing_change, residency_violation). */
public class ChangeState {
  public AspectState first = new AspectState();
  public AspectState second = new AspectState();
  public boolean active;

  /** residency_violation: violating calls since the alert opened; else changes seen. */
  public long count;

  /** Event time of the last violation (residency) or switch (drift, routing). */
  public long lastEventTime = Long.MIN_VALUE;

  public long openedAt;

  /** Event time of the last emitted event (heartbeat throttle). */
  public long lastEmit = Long.MIN_VALUE;

  public String detail;
  public SeriesLabels labels;

  public ChangeState() {}
}
