package io.llmobserve.agenttests.scenarios;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What a scenario (running in the forked, instrumented JVM) tells the test: one line {@code RESULT
 * <label> key=value ...} per call. JDK-only, so the OkHttp 5 fork can use it.
 */
public final class Results {
  /** Request header naming the call, so tests find its exchange in the simulator's log. */
  public static final String CALL_HEADER = "x-llm-test-call";

  private Results() {}

  /** Runs one call; its values (or the exception's class) become a RESULT line. */
  public static void call(String label, Callable<Map<String, String>> call) {
    long start = System.nanoTime();
    Map<String, String> values;
    try {
      values = new LinkedHashMap<>(call.call());
    } catch (Throwable t) {
      values = new LinkedHashMap<>();
      values.put("error", t.getClass().getName());
      System.err.println("scenario " + label + " failed:");
      t.printStackTrace();
    }
    values.put("millis", String.valueOf((System.nanoTime() - start) / 1_000_000));
    print(label, values);
  }

  public static synchronized void print(String label, Map<String, String> values) {
    StringBuilder sb = new StringBuilder("RESULT ").append(label);
    values.forEach((k, v) -> sb.append(' ').append(k).append('=').append(clean(v)));
    System.out.println(sb);
    System.out.flush();
  }

  private static String clean(String v) {
    return v == null ? "null" : v.replace(' ', '_').replace('\n', '_');
  }

  public static Map<String, String> values(Object... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(String.valueOf(kv[i]), String.valueOf(kv[i + 1]));
    }
    return m;
  }

  /**
   * A real provider's host name (resolved to the simulator by the scenario JVM's hosts file) on the
   * simulator's scheme and port: {@code http://} or {@code https://host:port}.
   */
  public static String providerUrl(String simulatorBase, String host) {
    URI base = URI.create(simulatorBase);
    return base.getScheme() + "://" + host + ":" + base.getPort();
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
