package io.llmobserve.benchmarks;

import io.llmobserve.providers.detect.Paths;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the agent adds to a non-LLM HTTP call (issue 7's cost goal: within 1 % of the upstream agent
 * alone): every client hook first asks {@link Paths#mayBeOperation} on a path string the client
 * already holds, and a non-LLM call stops there, with nothing allocated. This measures that
 * decision over a mix of ordinary REST, health, storage and GraphQL paths, in both forms the hooks
 * use (a raw path; OkHttp's first and last decoded segments). Divide by a non-LLM call's CPU under
 * the upstream agent (OverheadHarness, op nonllm) for the share it can add.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar NonLlmDecision -f 1 -wi 3 -i 5}. On a
 * loaded machine use {@link #main}: {@code java -cp benchmarks/target/benchmarks.jar
 * io.llmobserve.benchmarks.NonLlmDecisionBenchmark}, which reports the thread's CPU time per
 * decision (median of 7 rounds), unaffected by other processes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NonLlmDecisionBenchmark {
  /** Paths a service calls that are not LLM calls (16: the index wraps with a mask). */
  static final String[] PATHS = {
    "/api/v1/orders/84213",
    "/health",
    "/actuator/prometheus",
    "/v1/customers/cus_9a8b7c/invoices",
    "/graphql",
    "/storage/v1/b/reports-eu/o/2026%2F12%2Fdaily.csv",
    "/users/4711/preferences",
    "/",
    "/api/v2/search",
    "/v1/payment_intents/pi_3N1x/confirm",
    "/repos/acme/shop/pulls/1234/files",
    "/_cluster/health",
    "/bucket-logs/2026/12/06/app-17.log.gz",
    "/oauth2/v2.0/token",
    "/inventory/items/SKU-00042/stock",
    "/metrics",
  };

  private static final String[][] SEGMENTS = new String[PATHS.length][];

  static {
    for (int i = 0; i < PATHS.length; i++) {
      String[] s = PATHS[i].substring(1).split("/", -1);
      SEGMENTS[i] = new String[] {s[0], s[s.length - 1]};
    }
  }

  private int next;

  /** JDK, Apache HC4/HC5, HttpURLConnection and Netty hooks: the raw path. */
  @Benchmark
  public boolean rawPath() {
    return Paths.mayBeOperation(PATHS[next++ & 15]);
  }

  /** OkHttp hook: the first and last decoded segments OkHttp keeps. */
  @Benchmark
  public boolean segments() {
    String[] s = SEGMENTS[next++ & 15];
    return Paths.mayBeOperation(s[0], s[1]);
  }

  /** Thread CPU time per decision, both forms, 7 interleaved rounds (args: decisions/round). */
  public static void main(String[] args) {
    for (String p : PATHS) {
      if (Paths.mayBeOperation(p)) {
        throw new IllegalStateException("an LLM path in the non-LLM mix: " + p);
      }
    }
    var threads = ManagementFactory.getThreadMXBean();
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000_000;
    NonLlmDecisionBenchmark b = new NonLlmDecisionBenchmark();
    long yes = 0;
    for (int i = 0; i < n; i++) { // warm both forms up before measuring either
      yes += (b.rawPath() ? 1 : 0) + (b.segments() ? 1 : 0);
    }
    int rounds = 7;
    double[][] ns = new double[2][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int form = 0; form < 2; form++) {
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          yes += (form == 0 ? b.rawPath() : b.segments()) ? 1 : 0;
        }
        ns[form][round] = (threads.getCurrentThreadCpuTime() - t0) / (double) n;
      }
    }
    String[] names = {"raw path (JDK, HC4, HC5, HttpURLConnection, Netty)", "segments (OkHttp)"};
    for (int form = 0; form < 2; form++) {
      Arrays.sort(ns[form]);
      System.out.printf(
          Locale.ROOT,
          "%-52s %.1f ns per non-LLM call [%.1f..%.1f], median of %d rounds%n",
          names[form],
          ns[form][rounds / 2],
          ns[form][0],
          ns[form][rounds - 1],
          rounds);
    }
    if (yes != 0) {
      throw new IllegalStateException("a non-LLM path was taken for an LLM call");
    }
  }
}
