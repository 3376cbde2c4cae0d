package io.llmobserve.pipeline.detect;

/** One {@link Calibration} histogram (a Flink POJO inside {@link SpikeState}). */
public class CalibrationState {
  /** Decayed weights per bin (null until the first value). */
  public double[] bins;

  /** Current weight of one new value (weights grow instead of old ones decaying). */
  public double unit = 1;

  /** Sum of the bins. */
  public double mass;

  public CalibrationState() {}
}
