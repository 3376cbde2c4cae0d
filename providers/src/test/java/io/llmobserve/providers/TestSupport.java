package io.llmobserve.providers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** Shared helpers: a map-backed AttributeSink, map-backed headers, fixtures, chunked feeding. */
public final class TestSupport {
  private TestSupport() {}

  /** Collects what a call writes, by attribute key (tests in sub-packages use it too). */
  public static class MapSink implements AttributeSink {
    public final Map<String, Object> map = new LinkedHashMap<>();

    @Override
    public void put(String key, String value) {
      map.put(key, value);
    }

    @Override
    public void put(String key, long value) {
      map.put(key, value);
    }

    @Override
    public void put(String key, double value) {
      map.put(key, value);
    }

    @Override
    public void put(String key, boolean value) {
      map.put(key, value);
    }

    @Override
    public void put(String key, List<String> values) {
      map.put(key, values);
    }
  }

  static HeaderReader headers(String... nameValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put(nameValues[i].toLowerCase(Locale.ROOT), nameValues[i + 1]);
    }
    return m::get;
  }

  public static byte[] fixture(String name) {
    try (InputStream in = TestSupport.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Chunk boundaries: [0, split) and [split, len). */
  static List<int[]> split(int len, int at) {
    List<int[]> l = new ArrayList<>();
    l.add(new int[] {0, at});
    l.add(new int[] {at, len - at});
    return l;
  }

  /** Chunks [offset, length] of random sizes 1..maxChunk. */
  public static List<int[]> randomChunks(int len, long seed, int maxChunk) {
    Random r = new Random(seed);
    List<int[]> l = new ArrayList<>();
    int p = 0;
    while (p < len) {
      int n = Math.min(len - p, 1 + r.nextInt(maxChunk));
      l.add(new int[] {p, n});
      p += n;
    }
    return l;
  }

  public static List<int[]> whole(int len) {
    return split(len, len);
  }

  /** Feeds a response body in the given chunks (each copied, so nothing relies on the array). */
  static LlmCall respond(
      LlmEndpoint ep, int status, HeaderReader h, byte[] body, List<int[]> chunks) {
    LlmCall call = new LlmCall(ep, System.nanoTime(), false);
    call.responseHeaders(status, h);
    feedResponse(call, body, chunks);
    call.responseEnd();
    return call;
  }

  static void feedResponse(LlmCall call, byte[] body, List<int[]> chunks) {
    for (int[] c : chunks) {
      byte[] copy = new byte[c[1] + 6];
      System.arraycopy(body, c[0], copy, 3, c[1]);
      call.responseBody(copy, 3, c[1]);
    }
  }

  static Map<String, Object> attributes(LlmCall call) {
    MapSink sink = new MapSink();
    call.writeAttributes(sink);
    sink.map.remove(GenAiAttributes.RESPONSE_TIME_TO_FIRST_CHUNK); // timing differs per run
    return sink.map;
  }
}
