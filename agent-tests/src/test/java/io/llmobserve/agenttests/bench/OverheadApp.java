package io.llmobserve.agenttests.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The measured app: every {@link BenchClient} makes the same OpenAI chat and streaming calls (and
 * non-LLM GETs) against the simulator. After warming every client and operation up, it measures
 * each (client, operation) in turn and prints one line per pair: {@code BENCH client=jdk op=chat
 * cpuNsPerCall=.. wallNsPerCall=.. allocBytesPerCall=..}. CPU is the process CPU time (all threads:
 * app, client, agent, exporter); allocation is the sum of {@code ThreadMXBean} allocated bytes over
 * all live threads (threads that both start and die inside a measurement are missed; the clients
 * here pool theirs).
 *
 * <p>Args: simulator base URL, warm-up calls, measured calls, rotation (the measurement order
 * starts at this index so that drift does not always hit the same pair), optional comma-separated
 * client names, optional comma-separated operations (chat, stream, nonllm; {@code client:op} for
 * one client only, e.g. {@code chat,stream,jdk:nonllm}).
 */
public final class OverheadApp {
  public static final List<String> OPERATIONS = List.of("chat", "stream", "nonllm");

  private record Pair(BenchClient client, String op) {
    long call() throws Exception {
      switch (op) {
        case "chat":
          return client.chat();
        case "stream":
          return client.stream();
        default:
          return client.nonLlm();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int warmup = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    int rotation = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    Set<String> only =
        args.length > 4 && !args[4].isBlank() ? Set.of(args[4].split(",")) : Set.of();
    List<String> ops =
        args.length > 5 && !args[5].isBlank() ? List.of(args[5].split(",")) : OPERATIONS;

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
    // warm every pair up, round-robin in slices, so the JIT sees the whole mix before measuring
    int slice = Math.max(1, warmup / 10);
    for (int done = 0; done < warmup; done += slice) {
      for (Pair p : pairs) {
        for (int i = 0; i < slice; i++) {
          p.call();
        }
      }
    }
    Thread.sleep(1_000); // let the exporter drain the warm-up spans

    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int k = 0; k < pairs.size(); k++) {
      Pair p = pairs.get((k + rotation) % pairs.size());
      long alloc0 = allocated(threads);
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        p.call();
      }
      long wall = System.nanoTime() - wall0;
      Thread.sleep(
          500); // the batch exporter's work for these calls belongs to them (same wait for every
      // variant)
      long cpu = os.getProcessCpuTime() - cpu0;
      long alloc = allocated(threads) - alloc0;
      System.out.printf(
          "BENCH client=%s op=%s cpuNsPerCall=%d wallNsPerCall=%d allocBytesPerCall=%d%n",
          p.client().name(), p.op(), cpu / calls, wall / calls, alloc / calls);
    }
    for (BenchClient c : clients) {
      c.close();
    }
    System.exit(0);
  }

  private static long allocated(ThreadMXBean threads) {
    long sum = 0;
    for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      if (a > 0) {
        sum += a;
      }
    }
    return sum;
  }
}
