package io.llmobserve.pipeline.detect;

/** What {@link SpikeDetector#step} concluded about one window's value. */
public final class Verdict {
  /** An open transition ("firing"), a close ("resolved"), or none. */
  public enum Transition {
    NONE,
    FIRING,
    RESOLVED
  }

  public final double observed;

  /** The baseline the value was judged against (NaN during warm-up). */
  public final double baseline;

  /** Baseline scale (standard-deviation units; NaN during warm-up). */
  public final double scale;

  /** Accumulated evidence in log10 units (CUSUM of -log10 p), >= 0; 0 during warm-up. */
  public final double score;

  public final boolean active;
  public final boolean warmingUp;
  public final Transition transition;

  Verdict(
      double observed,
      double baseline,
      double scale,
      double score,
      boolean active,
      boolean warmingUp,
      Transition transition) {
    this.observed = observed;
    this.baseline = baseline;
    this.scale = scale;
    this.score = score;
    this.active = active;
    this.warmingUp = warmingUp;
    this.transition = transition;
  }

  public boolean opened() {
    return transition == Transition.FIRING;
  }

  public boolean resolved() {
    return transition == Transition.RESOLVED;
  }
}
