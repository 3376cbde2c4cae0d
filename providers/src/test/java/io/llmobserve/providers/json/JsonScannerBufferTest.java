package io.llmobserve.providers.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scanner's capture buffer is borrowed from a per-thread spare and its container keys live in
 * fields: neither may ever mix one scanner's (one call's) bytes into another's, whatever the chunk
 * splits, threads and nesting.
 */
class JsonScannerBufferTest {

  /** Captures every string value as text. */
  static final class Strings implements JsonHandler {
    final List<String> values = new ArrayList<>();
    Runnable onScalar = () -> {};

    @Override
    public int valueStart(JsonScanner s, int kind) {
      return JsonScanner.MAX_CAPTURE;
    }

    @Override
    public void scalar(JsonScanner s, int kind, byte[] buf, int len, boolean truncated) {
      values.add(new String(buf, 0, len, StandardCharsets.UTF_8));
      onScalar.run();
    }

    @Override
    public void containerStart(JsonScanner s, boolean object) {}

    @Override
    public void containerEnd(JsonScanner s, boolean object) {}
  }

  private static void feed(JsonScanner s, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    s.accept(b, 0, b.length);
  }

  @Test
  void interleavedScannersWithValuesOpenAcrossChunksKeepTheirOwnBytes() {
    Strings a = new Strings();
    Strings b = new Strings();
    JsonScanner sa = new JsonScanner(a);
    JsonScanner sb = new JsonScanner(b);
    feed(sa, "{\"model\":\"aaaa");
    feed(sb, "{\"model\":\"bb");
    feed(sb, "bb\",\"id\":\"b-");
    feed(sa, "aaaa\",\"id\":\"a-1\"}");
    feed(sb, "2\"}");
    assertThat(a.values).containsExactly("aaaaaaaa", "a-1");
    assertThat(b.values).containsExactly("bbbb", "b-2");
  }

  @Test
  void aValueOpenAtAChunkEndContinuesOnAnotherThreadWhileThisThreadScansOthers() throws Exception {
    Strings a = new Strings();
    JsonScanner sa = new JsonScanner(a);
    feed(sa, "{\"id\":\"first-half-");
    // this thread's other scanners capture meanwhile: they must not see or disturb a's bytes
    for (int i = 0; i < 3; i++) {
      Strings other = new Strings();
      feed(new JsonScanner(other), "{\"id\":\"zzzzzzzzzzzzzzzzzzzz" + i + "\"}");
      assertThat(other.values).containsExactly("zzzzzzzzzzzzzzzzzzzz" + i);
    }
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      pool.submit(() -> feed(sa, "second-half\",\"model\":\"m\"}")).get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(a.values).containsExactly("first-half-second-half", "m");
  }

  @Test
  void aScannerFedInsideAnotherScannersCallbackOnTheSameThreadGetsItsOwnBuffer() {
    Strings inner = new Strings();
    JsonScanner innerScanner = new JsonScanner(inner);
    Strings outer = new Strings();
    outer.onScalar = () -> feed(innerScanner, "{\"id\":\"inner-value-that-is-long\"}");
    JsonScanner outerScanner = new JsonScanner(outer);
    feed(outerScanner, "{\"a\":\"one\",\"b\":\"two-");
    feed(outerScanner, "split\"}");
    assertThat(outer.values).containsExactly("one", "two-split");
    assertThat(inner.values).hasSize(2).containsOnly("inner-value-that-is-long");
  }

  @Test
  void anAbandonedScannerMidValueLeavesNothingToTheNextCallOnItsThread() {
    JsonScanner abandoned = new JsonScanner(new Strings());
    feed(abandoned, "{\"id\":\"secret-prefix-of-an-abandoned-call");
    Strings next = new Strings();
    feed(new JsonScanner(next), "{\"id\":\"x\",\"model\":\"\"}");
    assertThat(next.values).containsExactly("x", "");
  }

  @Test
  void aLargeValueGrowsTheBufferAndTheThreadKeepsOnlyABoundedSpare() {
    String big = "0123456789".repeat(1000); // 10 KB
    Strings h = new Strings();
    JsonScanner s = new JsonScanner(h);
    feed(s, "{\"text\":\"" + big.substring(0, 3000));
    feed(s, big.substring(3000) + "\"}");
    assertThat(h.values).containsExactly(big);
    assertThat(JsonScanner.spareLength()).isLessThanOrEqualTo(JsonScanner.MAX_SPARE);
    assertThat(s.retainedBytes()).isLessThan(JsonScanner.MAX_SPARE);
    Strings small = new Strings();
    feed(new JsonScanner(small), "{\"id\":\"abc\"}");
    assertThat(small.values).containsExactly("abc");
  }

  @Test
  void keysAreTrackedAtEveryLevelUpToKeyDepth() {
    List<Integer> seen = new ArrayList<>();
    int[] levels = new int[JsonScanner.KEY_DEPTH + 2];
    JsonHandler h =
        new JsonHandler() {
          @Override
          public int valueStart(JsonScanner s, int kind) {
            for (int l = 1; l <= s.depth() + 1; l++) {
              seen.add(s.keyAt(l));
            }
            levels[0] = s.depth();
            return 0;
          }

          @Override
          public void scalar(JsonScanner s, int kind, byte[] buf, int len, boolean truncated) {}

          @Override
          public void containerStart(JsonScanner s, boolean object) {}

          @Override
          public void containerEnd(JsonScanner s, boolean object) {}
        };
    // an object at level l holds the next container under its key ("model" or "id"), every third
    // level is an array, down to two levels past KEY_DEPTH
    List<Integer> expected = new ArrayList<>();
    int depth = JsonScanner.KEY_DEPTH + 2;
    for (int l = 1; l <= depth; l++) {
      int key = l % 3 == 2 ? Keys.ARRAY : l % 2 == 0 ? Keys.MODEL : Keys.ID;
      expected.add(l <= JsonScanner.KEY_DEPTH ? key : Keys.UNKNOWN);
    }
    JsonScanner s = new JsonScanner(h);
    StringBuilder json = new StringBuilder();
    for (int l = 1; l <= depth; l++) {
      json.append(l % 3 == 2 ? "[" : (l % 2 == 0 ? "{\"model\":" : "{\"id\":"));
    }
    json.append("1");
    for (int l = depth; l >= 1; l--) {
      json.append(l % 3 == 2 ? "]" : "}");
    }
    feed(s, json.toString());
    assertThat(levels[0]).isEqualTo(depth);
    assertThat(seen.subList(0, depth)).containsExactlyElementsOf(expected);
    assertThat(seen.get(depth)).isEqualTo(Keys.UNKNOWN); // past the depth
  }
}
