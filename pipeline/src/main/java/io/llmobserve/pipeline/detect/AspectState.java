package io.llmobserve.pipeline.detect;

/** What {@link ChangeTracker} knows about one attribute (e.g. response model) of one key. */
public class AspectState {
  /** The value taken as normal; null until first seen. */
  public String established;

  /**
   * Consecutive observations of {@link #established}; it is trusted once this reaches the minimum.
   */
  public int establishedSeen;

  /** While changed: the value before the change. */
  public String previous;

  /** While changed: the latest value seen. */
  public String current;

  /** While changed: event time of the last switch between values. */
  public long lastSwitch;

  public boolean changed;

  public AspectState() {}
}
