package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.InFlightSample;
import io.llmobserve.pipeline.model.LlmSpan;
import java.util.Arrays;

/**
 * Completed calls of one stall key, in arrival order, for the stall detector ({@link
 * CallRunCombiner#stall}): the detector keeps the last {@link StallState#RING} completions, the
 * count and the latest end, so a batch carries exactly that and the labels the last answered call
 * had. A Flink POJO.
 */
public class CompletionBatch {
  /** {@link StallFunction#key}. */
  public String key;

  /** The key's parts, for the label limiter to key a batch folded before it by its labels. */
  public String service;

  public String provider;
  public String requestModel;
  public String operation;

  /** Completions in the batch (the arrays hold the last {@link StallState#RING} of them). */
  public long count;

  /** A ring of the last completions (index {@code i} holds completion {@code i mod RING}). */
  public double[] durations = new double[0];

  public long[] endMillis = new long[0];

  /** Latest end of every completion in the batch, ms. */
  public long maxEndMillis = Long.MIN_VALUE;

  /** The model label of the batch's last answered call (response model known), or null. */
  public String model;

  /** The batch's last known region, or null. */
  public String region;

  /** Completions in the arrays: a ring, the one at {@code count % RING} the oldest once full. */
  public int held;

  public CompletionBatch() {}

  /** A batch of one call (what the detector did per call before batches). */
  public static CompletionBatch of(LlmSpan s) {
    CompletionBatch b = new CompletionBatch();
    b.key = StallFunction.key(s);
    b.service = s.service;
    b.provider = s.provider;
    b.requestModel = s.requestModel;
    b.operation = s.operation;
    b.add(s);
    return b;
  }

  /** The stall key from the batch's labels (after the label limiter rewrote them). */
  public void rekey() {
    key = InFlightSample.stallKey(service, provider, requestModel, operation);
  }

  /** Whether the stall detector learns from this call at all (a known, non-negative duration). */
  static boolean completes(LlmSpan s) {
    return !Double.isNaN(s.durationSeconds) && s.durationSeconds >= 0;
  }

  void add(LlmSpan s) {
    long end = s.eventTimeMillis();
    // a ring, as in StallState: the last RING completions are all the detector keeps
    int i = (int) (count % StallState.RING);
    if (i == durations.length) {
      int n = Math.min(StallState.RING, Math.max(4, durations.length * 2));
      durations = Arrays.copyOf(durations, n);
      endMillis = Arrays.copyOf(endMillis, n);
    }
    durations[i] = s.durationSeconds;
    endMillis[i] = end;
    count++;
    held = (int) Math.min(count, StallState.RING);
    maxEndMillis = Math.max(maxEndMillis, end);
    if (s.responseModel != null && s.model != null) {
      model = s.model;
    }
    if (s.region != null && !s.region.equals("unknown")) {
      region = s.region;
    }
  }
}
