package io.llmobserve.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.detect.ChangeTracker.Change;
import org.junit.jupiter.api.Test;

class ChangeTrackerTest {

  private final ChangeTracker tracker = new ChangeTracker(3, 1000);

  @Test
  void changeFromEstablishedValueFiresOnceAndResolvesWhenStable() {
    AspectState a = new AspectState();
    for (int i = 0; i < 3; i++) {
      assertThat(tracker.observe(a, "v1", i)).isEqualTo(Change.NONE);
    }
    assertThat(tracker.observe(a, "v2", 10)).isEqualTo(Change.CHANGED);
    assertThat(tracker.observe(a, "v2", 11)).isEqualTo(Change.NONE);
    assertThat(ChangeTracker.describe("model", a)).isEqualTo("model v1 -> v2");
    assertThat(tracker.tryResolve(a, 500)).isFalse();
    assertThat(tracker.tryResolve(a, 1010)).isTrue();
    assertThat(a.established).isEqualTo("v2");
    // v2 is now the normal value.
    assertThat(tracker.observe(a, "v2", 2000)).isEqualTo(Change.NONE);
    assertThat(a.changed).isFalse();
  }

  @Test
  void switchesWhileChangedPostponeResolution() {
    AspectState a = new AspectState();
    for (int i = 0; i < 3; i++) {
      tracker.observe(a, "v1", i);
    }
    tracker.observe(a, "v2", 10);
    assertThat(tracker.observe(a, "v1", 600)).isEqualTo(Change.SWITCHED);
    assertThat(tracker.tryResolve(a, 1010)).isFalse();
    assertThat(ChangeTracker.reverted(a)).isTrue();
    assertThat(tracker.tryResolve(a, 1600)).isTrue();
    assertThat(a.established).isEqualTo("v1");
  }

  @Test
  void valuesThatNeverSettleNeverEstablish() {
    AspectState a = new AspectState();
    for (int i = 0; i < 100; i++) {
      assertThat(tracker.observe(a, i % 2 == 0 ? "x" : "y", i)).isEqualTo(Change.NONE);
    }
  }

  @Test
  void missingValuesAreIgnored() {
    AspectState a = new AspectState();
    for (int i = 0; i < 3; i++) {
      tracker.observe(a, "v1", i);
    }
    assertThat(tracker.observe(a, null, 5)).isEqualTo(Change.NONE);
    assertThat(tracker.observe(a, "unknown", 6)).isEqualTo(Change.NONE);
    assertThat(tracker.observe(a, " ", 7)).isEqualTo(Change.NONE);
    assertThat(a.established).isEqualTo("v1");
  }
}
