package io.llmobserve.agenttests.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The measured app, driven by {@link OverheadHarness} over stdin/stdout. Every {@link BenchClient}
 * makes the same OpenAI chat and streaming calls (and non-LLM GETs) against the simulator.
 *
 * <ol>
 *   <li>Start-up: opens the clients, warms every (client, operation) pair up round-robin, then
 *       keeps warming in passes until the JIT is quiet (the JIT threads' CPU in a pass is under
 *       {@link #QUIET_JIT_SHARE} of the Java threads', warm-up over after {@code maxWarmupSeconds}
 *       at most), and prints {@code BENCH ready}.
 *   <li>{@code slice <pair> <calls> <tag>}: opens a measurement window, makes the calls, answers
 *       {@code BENCH ran} at once (so the harness can move on to the next JVM), and closes the
 *       window {@code drainMs} later, on the ledger's own thread: the exporter's work for these
 *       calls (batch delay 100 ms) falls inside the window. The window is printed as {@code BENCH
 *       window pair=.. tag=.. calls=.. callerCpuNs=.. exporterCpuNs=.. otherCpuNs=.. gcCpuNs=..
 *       jitCpuNs=.. allocBytes=.. wallNs=..} (totals over the window, not per call). A slice waits
 *       for the previous window to close.
 *   <li>{@code finish}: waits for the last window, prints the threads seen ({@code BENCH threads})
 *       and {@code BENCH finished}, and exits.
 * </ol>
 *
 * <p>CPU and allocation come from a {@link ThreadLedger} (per thread, robust to threads that end;
 * JIT and GC apart). Args: simulator base URL, warm-up calls per pair, drain ms, optional
 * comma-separated client names, optional comma-separated operations (chat, stream, nonllm; {@code
 * client:op} for one client only, e.g. {@code chat,stream,jdk:nonllm}), optional longest warm-up in
 * seconds (300; on a loaded machine the JIT may still be compiling then: the windows show it).
 */
public final class OverheadApp {
  public static final List<String> OPERATIONS = List.of("chat", "stream", "nonllm");
  static final double QUIET_JIT_SHARE = 0.05;

  private record Pair(BenchClient client, String op) {
    long call() throws Exception {
      return client.call(op);
    }

    String name() {
      return client.name() + ":" + op;
    }
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int warmup = Integer.parseInt(args[1]);
    long drainMs = Long.parseLong(args[2]);
    Set<String> only =
        args.length > 3 && !args[3].isBlank() ? Set.of(args[3].split(",")) : Set.of();
    List<String> ops =
        args.length > 4 && !args[4].isBlank() ? List.of(args[4].split(",")) : OPERATIONS;
    long maxWarmupSeconds = args.length > 5 ? Long.parseLong(args[5]) : 300;

    exitWithParent();
    List<Pair> pairs = new ArrayList<>();
    List<BenchClient> clients = new ArrayList<>();
    for (BenchClient c : BenchClients.all()) {
      if (only.isEmpty() || only.contains(c.name())) {
        c.open(base);
        clients.add(c);
        for (String op : ops) {
          // "op" for every client, "client:op" for one client only
          int colon = op.indexOf(':');
          if (colon < 0) {
            pairs.add(new Pair(c, op));
          } else if (op.substring(0, colon).equals(c.name())) {
            pairs.add(new Pair(c, op.substring(colon + 1)));
          }
        }
      }
    }
    ThreadLedger ledger = new ThreadLedger(Thread.currentThread());
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long start = System.nanoTime();
    // warm every pair up, round-robin in slices, so the JIT sees the whole mix before measuring
    int slice = Math.max(1, warmup / 10);
    for (int done = 0; done < warmup; done += slice) {
      for (Pair p : pairs) {
        for (int i = 0; i < slice; i++) {
          p.call();
        }
      }
    }
    // then until the JIT is quiet: a pass whose JIT CPU is under QUIET_JIT_SHARE of its Java CPU
    int passes = 0;
    double jitShare;
    do {
      long[] before = ledger.totals();
      for (Pair p : pairs) {
        for (int i = 0; i < slice; i++) {
          p.call();
        }
      }
      long[] after = ledger.totals();
      jitShare =
          (after[ThreadLedger.JIT_CPU] - before[ThreadLedger.JIT_CPU])
              / (double) Math.max(1, ThreadLedger.javaCpu(after) - ThreadLedger.javaCpu(before));
      passes++;
    } while (jitShare >= QUIET_JIT_SHARE
        && System.nanoTime() - start < maxWarmupSeconds * 1_000_000_000L);
    System.out.printf(
        "BENCH ready pairs=%s warmupCalls=%d quietPasses=%d lastPassJitShare=%.3f jitMs=%d"
            + " seconds=%d%n",
        String.join(",", pairs.stream().map(Pair::name).toList()),
        warmup + passes * slice,
        passes,
        jitShare,
        jit.getTotalCompilationTime(),
        (System.nanoTime() - start) / 1_000_000_000L);
    System.out.flush();

    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    CountDownLatch windowClosed = new CountDownLatch(0);
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.strip().split(" ");
      windowClosed.await();
      if (cmd[0].equals("finish")) {
        break;
      }
      if (!cmd[0].equals("slice")) {
        throw new IllegalArgumentException("unknown command: " + line);
      }
      Pair p = pairs.get(Integer.parseInt(cmd[1]));
      int calls = Integer.parseInt(cmd[2]);
      String tag = cmd[3];
      long[] before = ledger.totals();
      long wall0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        p.call();
      }
      long wall = System.nanoTime() - wall0;
      CountDownLatch closed = new CountDownLatch(1);
      windowClosed = closed;
      ledger.later(
          () -> {
            long[] after = ledger.totals();
            long[] d = new long[ThreadLedger.SIZE];
            for (int i = 0; i < d.length; i++) {
              d[i] = after[i] - before[i];
            }
            print(
                String.format(
                    "BENCH window pair=%s tag=%s calls=%d callerCpuNs=%d exporterCpuNs=%d"
                        + " otherCpuNs=%d gcCpuNs=%d jitCpuNs=%d allocBytes=%d wallNs=%d",
                    p.name(),
                    tag,
                    calls,
                    d[ThreadLedger.CALLER_CPU],
                    d[ThreadLedger.EXPORTER_CPU],
                    d[ThreadLedger.OTHER_CPU],
                    d[ThreadLedger.GC_CPU],
                    d[ThreadLedger.JIT_CPU],
                    d[ThreadLedger.ALLOC],
                    wall));
            closed.countDown();
          },
          drainMs);
      print("BENCH ran");
    }
    print("BENCH threads " + ledger.describe());
    print("BENCH finished");
    ledger.close();
    for (BenchClient c : clients) {
      c.close();
    }
    System.exit(0);
  }

  /** A harness that is stopped must not leave its JVMs behind (they may still be warming up). */
  private static void exitWithParent() {
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (parent == null) {
      return;
    }
    Thread watch =
        new Thread(
            () -> {
              while (parent.isAlive()) {
                try {
                  Thread.sleep(2_000);
                } catch (InterruptedException e) {
                  return;
                }
              }
              Runtime.getRuntime().halt(3);
            },
            "bench-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
