package io.llmobserve.pipeline.detect;

import java.io.Serializable;
import java.util.Objects;

/**
 * Flink-free core of model_drift and routing_change: tracks an attribute's established value and
 * reports when it changes.
 *
 * <p>A value becomes established after {@code minObservations} consecutive observations (a key that
 * alternates between values, such as a load-balanced pair of regions, never establishes one, so it
 * never fires). A change from an established value opens the anomaly once; it resolves when no
 * switch has happened for {@code stableMillis} of event time: the value seen then becomes the new
 * established value (or the old one again, if it reverted).
 */
public final class ChangeTracker implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Outcome of one observation. */
  public enum Change {
    NONE,
    /** The established value changed: the anomaly opens (if not open yet). */
    CHANGED,
    /** A further switch while already changed. */
    SWITCHED
  }

  private final int minObservations;
  private final long stableMillis;

  public ChangeTracker(int minObservations, long stableMillis) {
    this.minObservations = minObservations;
    this.stableMillis = stableMillis;
  }

  public long stableMillis() {
    return stableMillis;
  }

  /**
   * @param value null or blank = not reported on this call: ignored
   */
  public Change observe(AspectState a, String value, long time) {
    if (value == null || value.isBlank() || "unknown".equals(value)) {
      return Change.NONE;
    }
    if (a.changed) {
      if (!value.equals(a.current)) {
        a.current = value;
        a.lastSwitch = time;
        return Change.SWITCHED;
      }
      return Change.NONE;
    }
    if (value.equals(a.established)) {
      if (a.establishedSeen < Integer.MAX_VALUE) {
        a.establishedSeen++;
      }
      return Change.NONE;
    }
    if (a.established == null || a.establishedSeen < minObservations) {
      // Not established yet: still learning what normal is.
      a.established = value;
      a.establishedSeen = 1;
      return Change.NONE;
    }
    a.changed = true;
    a.previous = a.established;
    a.current = value;
    a.lastSwitch = time;
    return Change.CHANGED;
  }

  /**
   * {@code n} more observations of the value {@link #observe} has just been given: they change
   * nothing but the established value's count (a repeat of the current value is no switch).
   */
  public void observeRepeats(AspectState a, String value, long n) {
    if (value == null || value.isBlank() || "unknown".equals(value) || a.changed) {
      return;
    }
    if (value.equals(a.established)) {
      a.establishedSeen = (int) Math.min(Integer.MAX_VALUE, a.establishedSeen + n);
    }
  }

  /** Event time at which {@code a}'s change may resolve (if nothing switches before). */
  public long resolveAt(AspectState a) {
    return a.lastSwitch + stableMillis;
  }

  /**
   * Resolves {@code a}'s change if it has been stable long enough at {@code time}; the latest value
   * becomes the established one. Returns true if it resolved.
   */
  public boolean tryResolve(AspectState a, long time) {
    if (!a.changed || time < resolveAt(a)) {
      return false;
    }
    a.changed = false;
    a.established = a.current;
    a.establishedSeen = minObservations;
    a.previous = null;
    a.current = null;
    return true;
  }

  /** "old -> new" for the event detail. */
  public static String describe(String aspect, AspectState a) {
    return aspect + " " + a.previous + " -> " + a.current;
  }

  /** Whether the change reverted to the value before it. */
  public static boolean reverted(AspectState a) {
    return Objects.equals(a.previous, a.current);
  }
}
