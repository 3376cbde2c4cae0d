package io.llmobserve.pipeline.window;

import com.tdunning.math.stats.MergingDigest;
import com.tdunning.math.stats.TDigest;
import java.util.Arrays;

/**
 * The values of one digest of a partial ({@link SpanAccumulator#partial()}), cheaper to collect
 * than inserting each into an AVLTreeDigest (a third of the call path's CPU): a few values are kept
 * as they are; past {@link #RAW} they go into a MergingDigest (buffered inserts, merged in bulk),
 * which holds a bounded number of centroids however many values come. Only partials that see many
 * calls pay for a MergingDigest's arrays, so many cold keys stay small.
 */
final class DigestBuffer {
  /** Values kept raw before a MergingDigest takes over. */
  static final int RAW = 64;

  private double[] values = new double[4];
  private int n;
  private MergingDigest merging;

  void add(double v) {
    if (merging != null) {
      merging.add(v);
      return;
    }
    if (n == values.length) {
      if (n >= RAW) {
        merging = new MergingDigest(SpanAccumulator.COMPRESSION, 4 * RAW);
        for (int i = 0; i < n; i++) {
          merging.add(values[i]);
        }
        merging.add(v);
        values = null;
        return;
      }
      values = Arrays.copyOf(values, Math.min(RAW, n * 2));
    }
    values[n++] = v;
  }

  /**
   * The digest to hand on: {@code target} with the raw values inserted, or the MergingDigest (safe
   * to hand on: a partial is serialized by its own task thread, never kept in state).
   */
  TDigest into(TDigest target) {
    if (merging != null) {
      return merging;
    }
    for (int i = 0; i < n; i++) {
      target.add(values[i]);
    }
    return target;
  }
}
