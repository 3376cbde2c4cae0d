package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.WindowAggregate;
import java.io.Serializable;

/**
 * What one window detector does with one closed window, Flink-free: which value it judges, which
 * windows are too thin to judge or to open on. {@link WindowSpikeFunction} runs it in keyed state;
 * benchmarks run it over generated windows. Same code, same verdicts.
 */
public final class WindowJudge implements Serializable {
  private static final long serialVersionUID = 1L;

  private final WindowKind kind;
  private final SpikeDetector detector;
  private final long minCalls;
  private final long minCount;

  public WindowJudge(WindowKind kind, DetectorSettings settings) {
    this.kind = kind;
    this.detector = new SpikeDetector(settings.spikeParams(kind));
    this.minCalls = settings.minCalls(kind);
    this.minCount = settings.minCount(kind);
  }

  public WindowKind kind() {
    return kind;
  }

  public SpikeState newState() {
    return detector.newState();
  }

  /** The verdict on w, or null when w is too thin to judge or was already judged. */
  public Verdict judge(SpikeState s, WindowAggregate w) {
    double value = kind.value(w);
    if (!Double.isFinite(value) || kind.sampleCount(w) < Math.max(1, minCalls)) {
      return null; // too thin to judge (e.g. the p95 of two calls)
    }
    if (w.windowStart <= s.lastTime) {
      return null; // a window already judged (replay after restore) or out of order
    }
    s.lastTime = w.windowStart;
    return detector.step(s, value, kind.openValue(w), kind.openCount(w) >= minCount, w.windowStart);
  }
}
