package io.llmobserve.pipeline.detect;

/**
 * One seasonal profile of {@link SpikeDetector} (time of day, or time of week): a level with a
 * day's memory plus per-bucket offsets, its scale, and how well it has forecast so far. A Flink
 * POJO inside {@link SpikeState}.
 */
public class ProfileState {
  /** The profile's level (a day's memory) and scale. */
  public double level = Double.NaN;

  public double scale = Double.NaN;

  /** Offset from the level per bucket of the period. */
  public double[] offsets;

  /** Windows learned per bucket. */
  public int[] seen;

  /** EW absolute error of level + offset, over the windows it could forecast. */
  public double error;

  /** Event time over which the error has been measured, ms. */
  public long errorMillis;

  public ProfileState() {}
}
