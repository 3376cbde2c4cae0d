package io.llmobserve.agenttests.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The measured app of {@link TwinHarness}: every client is opened twice ({@link
 * BenchClient#openUnobserved}), once on the chat path (the agent observes the call as an LLM call)
 * and once on its unobserved twin (the same bytes both ways; upstream's HTTP span only). Slices of
 * calls take turns between the two in ABBA order, in one JVM with one JIT, so the per-slice ratio
 * observed/unobserved is the cost of observing an LLM call against upstream's plain HTTP span, free
 * of the JVM-to-JVM spread that separate JVMs show.
 *
 * <p>Each half-slice is its calls plus {@code drainMs} (the batch exporter's work for them falls
 * inside). Besides the median per-slice ratio and its quartiles, each line gives the median's 95 %
 * confidence interval (distribution-free, from order statistics): whether a goal of a few percent
 * can be judged from the run, or needs more slices. CPU: the Java threads' (caller, client and pool
 * threads, exporter), JIT and GC apart ({@link ThreadLedger}). Prints one {@code TWIN} line per
 * (client, operation) and exits.
 *
 * <p>With {@code -Dbench.thinkMicros=N} each call is followed by N us of idle time, as an app's own
 * work separates its LLM calls: back to back (the default), the client's threads are still awake
 * when the next call comes, and anything that delays the caller between calls changes what the
 * client's threads do (a sleeping selector must be woken), which is not so when calls are apart.
 *
 * <p>Args: simulator base URL, clients (comma-separated names, empty = all), operations (chat,
 * stream), warm-up seconds, slices, calls per half-slice, drain ms.
 */
public final class TwinApp {
  private record Twin(BenchClient observed, BenchClient unobserved, String op) {
    String name() {
      return observed.name() + " " + op;
    }
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    Set<String> only =
        args.length > 1 && !args[1].isBlank() ? Set.of(args[1].split(",")) : Set.of();
    List<String> ops = List.of((args.length > 2 ? args[2] : "chat,stream").split(","));
    for (String op : ops) {
      if (!op.equals("chat") && !op.equals("stream")) {
        throw new IllegalArgumentException(
            "an LLM operation has a twin: chat or stream, not " + op);
      }
    }
    long warmupSeconds = args.length > 3 ? Long.parseLong(args[3]) : 90;
    int slices = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    int calls = args.length > 5 ? Integer.parseInt(args[5]) : 200;
    long drainMs = args.length > 6 ? Long.parseLong(args[6]) : 300;
    // idle time after each call, as an app does between LLM calls (0: back to back)
    long thinkNanos = Long.getLong("bench.thinkMicros", 0) * 1000;

    List<Twin> twins = new ArrayList<>();
    for (BenchClient c : BenchClients.all()) {
      if (!only.isEmpty() && !only.contains(c.name())) {
        continue;
      }
      BenchClient twin = c.getClass().getConstructor().newInstance();
      twin.openUnobserved(base);
      c.open(base);
      for (String op : ops) {
        twins.add(new Twin(c, twin, op));
      }
    }
    long until = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    while (System.nanoTime() < until) {
      for (Twin t : twins) {
        for (int i = 0; i < 20; i++) {
          t.observed.call(t.op);
          think(thinkNanos);
          t.unobserved.call(t.op);
          think(thinkNanos);
        }
      }
    }
    // [twin][side][slice] per call: side 0 = observed, 1 = unobserved
    double[][][] cpu = new double[twins.size()][2][slices];
    double[][][] alloc = new double[twins.size()][2][slices];
    try (ThreadLedger ledger = new ThreadLedger(Thread.currentThread())) {
      for (int s = 0; s < slices; s++) {
        for (int t = 0; t < twins.size(); t++) {
          for (int half = 0; half < 2; half++) {
            int side = s % 2 == 0 ? half : 1 - half; // ABBA: neither side always goes first
            Twin twin = twins.get(t);
            BenchClient client = side == 0 ? twin.observed : twin.unobserved;
            long[] before = ledger.totals();
            for (int i = 0; i < calls; i++) {
              client.call(twin.op);
              think(thinkNanos);
            }
            Thread.sleep(drainMs); // the exporter's work for these calls
            long[] after = ledger.totals();
            long javaCpu = ThreadLedger.javaCpu(after) - ThreadLedger.javaCpu(before);
            cpu[t][side][s] = javaCpu / 1000.0 / calls;
            alloc[t][side][s] =
                (after[ThreadLedger.ALLOC] - before[ThreadLedger.ALLOC]) / 1024.0 / calls;
          }
        }
      }
    }
    for (int t = 0; t < twins.size(); t++) {
      double[] cpuRatio = ratios(cpu[t][0], cpu[t][1]);
      double[] allocRatio = ratios(alloc[t][0], alloc[t][1]);
      double[] cpuCi = medianCi(cpuRatio);
      double[] allocCi = medianCi(allocRatio);
      System.out.println(
          String.format(
              Locale.ROOT,
              "TWIN %s cpu %.1f %.1f %.3f %.3f %.3f alloc %.2f %.2f %.4f %.4f %.4f"
                  + " ci %.3f %.3f %.4f %.4f",
              twins.get(t).name(),
              quantile(cpu[t][0], 0.5),
              quantile(cpu[t][1], 0.5),
              quantile(cpuRatio, 0.5),
              quantile(cpuRatio, 0.25),
              quantile(cpuRatio, 0.75),
              quantile(alloc[t][0], 0.5),
              quantile(alloc[t][1], 0.5),
              quantile(allocRatio, 0.5),
              quantile(allocRatio, 0.25),
              quantile(allocRatio, 0.75),
              cpuCi[0],
              cpuCi[1],
              allocCi[0],
              allocCi[1]));
    }
    System.out.flush();
    System.exit(0); // client pools keep non-daemon threads
  }

  private static void think(long nanos) {
    if (nanos > 0) {
      LockSupport.parkNanos(nanos);
    }
  }

  private static double[] ratios(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    return r;
  }

  /**
   * A 95 % confidence interval of the median of {@code values}: the order statistics of ranks n/2
   * -+ 0.98 sqrt(n) (the normal approximation of the binomial ranks; slightly wider than the exact
   * table), so it holds whatever the distribution of the slices' ratios, as long as slices are
   * independent.
   */
  static double[] medianCi(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double half = 0.98 * Math.sqrt(n);
    int lower = Math.max(1, (int) Math.floor(n / 2.0 - half)); // 1-based ranks
    int upper = Math.min(n, (int) Math.ceil(1 + n / 2.0 + half));
    return new double[] {sorted[lower - 1], sorted[upper - 1]};
  }

  /** Nearest-rank quantile. */
  static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.round(q * (sorted.length - 1))];
  }
}
