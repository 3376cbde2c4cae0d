package io.llmobserve.pipeline.window;

import com.tdunning.math.stats.AVLTreeDigest;
import com.tdunning.math.stats.Centroid;
import com.tdunning.math.stats.TDigest;
import io.llmobserve.pipeline.model.LlmSpan;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Running totals of one series in one window. Latency, TTFT and network overhead go into t-digests:
 * mergeable (session/merged windows, partial aggregates) and bounded in size. AVLTreeDigest, not
 * MergingDigest: MergingDigest compresses (mutates) itself on every read (quantile, centroids,
 * asBytes), which is unsafe when Flink's async snapshot thread and the task thread touch the same
 * state object; AVLTreeDigest reads are side-effect free.
 */
@TypeInfo(SpanAccumulatorTypeInfo.Factory.class)
public final class SpanAccumulator {
  static final double COMPRESSION = 100;

  String service;
  String provider;
  String model;
  String region;
  String operation;

  long calls;
  long ok;
  long error;
  long throttled;
  long inputTokens;
  long outputTokens;
  long cacheReadTokens;
  long reasoningTokens;
  double costUsd;
  long estimatedInputTokens;
  long estimatedOutputTokens;
  double estimatedCostUsd;
  long minRemainingTokens = -1;
  long minRemainingRequests = -1;

  /** Highest llm.ratelimit.limit_tokens of the window, -1 when none was reported. */
  long maxLimitTokens = -1;

  TDigest latency = newDigest();
  TDigest ttft = newDigest();
  TDigest overhead = newDigest();

  /** The window key of a (partial) accumulator: {@link LlmSpan#seriesKey()} of its calls. */
  public String seriesKey() {
    return service + '|' + provider + '|' + model + '|' + region + '|' + operation;
  }

  public String service() {
    return service;
  }

  public String provider() {
    return provider;
  }

  public String model() {
    return model;
  }

  public String region() {
    return region;
  }

  public String operation() {
    return operation;
  }

  /** The label limiter's verdict on a partial's labels (the provider is bounded before). */
  public void relabel(String service, String model, String region, String operation) {
    this.service = service;
    this.model = model;
    this.region = region;
    this.operation = operation;
  }

  /** Calls folded in so far. */
  public long calls() {
    return calls;
  }

  static TDigest newDigest() {
    return new AVLTreeDigest(COMPRESSION);
  }

  /**
   * Partials only ({@link #partial()}): the values of the three digests as they come, moved into
   * the digests by {@link #seal()} before the partial leaves.
   */
  private DigestBuffer latencyValues;

  private DigestBuffer ttftValues;
  private DigestBuffer overheadValues;

  /** A partial folded before the label limits: see {@link WindowPartials}. Not serialized. */
  String resolveFrom;

  /**
   * A partial for {@link WindowPreAggregator}: collects digest values in {@link DigestBuffer}s (an
   * AVLTreeDigest insert per call was a third of the call path's CPU); {@link #seal()} before it
   * leaves. It crosses the shuffle as centroids and arrives as an AVLTreeDigest ({@link
   * #readDigest}), which is what the window state keeps.
   */
  static SpanAccumulator partial() {
    SpanAccumulator a = new SpanAccumulator();
    a.latencyValues = new DigestBuffer();
    a.ttftValues = new DigestBuffer();
    a.overheadValues = new DigestBuffer();
    return a;
  }

  /** A partial's collected values into its digests; returns it, ready to be serialized. */
  SpanAccumulator seal() {
    if (latencyValues != null) {
      latency = latencyValues.into(latency);
      ttft = ttftValues.into(ttft);
      overhead = overheadValues.into(overhead);
      latencyValues = null;
      ttftValues = null;
      overheadValues = null;
    }
    return this;
  }

  void add(LlmSpan s) {
    if (calls == 0) {
      service = s.service;
      provider = s.provider;
      model = s.model;
      region = s.region;
      operation = s.operation;
    }
    calls++;
    switch (s.outcome == null ? "ok" : s.outcome) {
      case "throttled" -> throttled++;
      case "error" -> error++;
      default -> ok++;
    }
    inputTokens += Math.max(0, s.inputTokens);
    outputTokens += Math.max(0, s.outputTokens);
    cacheReadTokens += Math.max(0, s.cacheReadTokens);
    reasoningTokens += Math.max(0, s.reasoningTokens);
    if (!Double.isNaN(s.costUsd)) {
      costUsd += s.costUsd;
      if (s.inputTokensEstimated || s.outputTokensEstimated) {
        estimatedCostUsd += s.costUsd;
      }
    }
    if (s.inputTokensEstimated) {
      estimatedInputTokens += Math.max(0, s.inputTokens);
    }
    if (s.outputTokensEstimated) {
      estimatedOutputTokens += Math.max(0, s.outputTokens);
    }
    if (latencyValues != null) { // a partial: values are collected, digested once at seal()
      if (!Double.isNaN(s.durationSeconds)) {
        latencyValues.add(s.durationSeconds);
        if (!Double.isNaN(s.serverProcessingSeconds)) {
          overheadValues.add(Math.max(0, s.durationSeconds - s.serverProcessingSeconds));
        }
      }
      if (!Double.isNaN(s.ttftSeconds)) {
        ttftValues.add(s.ttftSeconds);
      }
    } else {
      if (!Double.isNaN(s.durationSeconds)) {
        latency.add(s.durationSeconds);
        if (!Double.isNaN(s.serverProcessingSeconds)) {
          // Clamp: clocks of different machines; overhead below zero means "none measurable".
          overhead.add(Math.max(0, s.durationSeconds - s.serverProcessingSeconds));
        }
      }
      if (!Double.isNaN(s.ttftSeconds)) {
        ttft.add(s.ttftSeconds);
      }
    }
    minRemainingTokens = minKnown(minRemainingTokens, s.remainingTokens);
    minRemainingRequests = minKnown(minRemainingRequests, s.remainingRequests);
    maxLimitTokens = Math.max(maxLimitTokens, s.limitTokens);
  }

  SpanAccumulator merge(SpanAccumulator o) {
    if (calls == 0) {
      service = o.service;
      provider = o.provider;
      model = o.model;
      region = o.region;
      operation = o.operation;
    }
    calls += o.calls;
    ok += o.ok;
    error += o.error;
    throttled += o.throttled;
    inputTokens += o.inputTokens;
    outputTokens += o.outputTokens;
    cacheReadTokens += o.cacheReadTokens;
    reasoningTokens += o.reasoningTokens;
    costUsd += o.costUsd;
    estimatedInputTokens += o.estimatedInputTokens;
    estimatedOutputTokens += o.estimatedOutputTokens;
    estimatedCostUsd += o.estimatedCostUsd;
    minRemainingTokens = minKnown(minRemainingTokens, o.minRemainingTokens);
    minRemainingRequests = minKnown(minRemainingRequests, o.minRemainingRequests);
    maxLimitTokens = Math.max(maxLimitTokens, o.maxLimitTokens);
    latency.add(o.latency);
    ttft.add(o.ttft);
    overhead.add(o.overhead);
    return this;
  }

  private static long minKnown(long a, long b) {
    if (b < 0) {
      return a;
    }
    return a < 0 ? b : Math.min(a, b);
  }

  static double quantile(TDigest d, double q) {
    return d.size() == 0 ? Double.NaN : d.quantile(q);
  }

  /**
   * Writes a digest WITHOUT touching it: t-digest's own asBytes/byteSize compress the digest first
   * (a mutation), and Flink's heap state serializes a snapshot's objects on the async checkpoint
   * thread while the task thread may be copying the same object. Reading the centroids of an
   * AVLTreeDigest is side-effect free.
   */
  static void writeDigest(TDigest d, DataOutput out) throws IOException {
    Collection<Centroid> cs = d.centroids();
    out.writeDouble(d.compression());
    out.writeInt(cs.size());
    for (Centroid c : cs) {
      out.writeDouble(c.mean());
      out.writeInt(c.count());
    }
  }

  static TDigest readDigest(DataInput in) throws IOException {
    TDigest d = new AVLTreeDigest(in.readDouble());
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      double mean = in.readDouble();
      d.add(mean, in.readInt());
    }
    return d;
  }
}
