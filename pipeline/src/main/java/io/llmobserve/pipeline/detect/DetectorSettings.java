package io.llmobserve.pipeline.detect;

import java.io.Serializable;
import java.util.Map;

/**
 * Detector configuration (sensitivity, warm-up, hysteresis, allowed regions). Owned by the
 * detect package; the job's configuration passes its {@code detector.*} keys here.
 *
 * <p>CONTRACT: {@link #defaults()} and {@link #fromMap(Map)} are stable.
 */
public class DetectorSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  public static DetectorSettings defaults() {
    return new DetectorSettings();
  }

  /**
   * @param props keys without the "detector." prefix, e.g. "latency.threshold" or
   *     "residency.allowed.openai" -> "East US 2,eastus2"
   * @throws IllegalArgumentException with a clear message naming the key for bad values
   */
  public static DetectorSettings fromMap(Map<String, String> props) {
    return defaults(); // TODO detectors engineer
  }
}
