package io.llmobserve.agenttests.bench;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU time and allocated bytes of a JVM's threads, per kind, robust to threads that end.
 *
 * <p>{@code ThreadMXBean} only knows live threads: summing it over the live threads loses a
 * thread's whole history when it ends (negative or NaN deltas when a pool retires a thread
 * mid-measurement). The ledger keeps, per thread id, the last values it saw, and a sampler thread
 * refreshes them every {@link #SAMPLE_MS} ms: a thread that ends keeps its last values in the
 * totals. Pools retire idle threads, whose last values are their final ones, so nothing is lost in
 * practice.
 *
 * <p>Java threads are counted per kind: the calling thread, the OpenTelemetry SDK's exporter
 * threads (by name), and the rest (client I/O threads, pools). The JVM's own threads are not Java
 * threads and never in those sums: JIT compilers and GC (plus the VM thread's safepoint work) are
 * read apart from {@code /proc/self/task/<tid>/schedstat} (nanoseconds, by thread name). The
 * sampler thread itself is excluded from everything.
 */
final class ThreadLedger implements AutoCloseable {
  static final long SAMPLE_MS = 100;

  /** Indexes into {@link #totals()}. */
  static final int CALLER_CPU = 0;

  static final int EXPORTER_CPU = 1;
  static final int OTHER_CPU = 2;
  static final int GC_CPU = 3;
  static final int JIT_CPU = 4;
  static final int ALLOC = 5;
  static final int SIZE = 6;

  private static final Path TASKS = Path.of("/proc/self/task");

  private final ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final long caller;
  private final ScheduledExecutorService sampler;
  private final long samplerId;
  private final Map<Long, long[]> lastSeen = new HashMap<>(); // id -> {cpu ns, allocated bytes}
  private final Map<Long, Integer> kindOf = new HashMap<>();
  private final Map<Long, String> nameOf = new HashMap<>();

  ThreadLedger(Thread caller) {
    this.caller = caller.getId();
    mx.setThreadCpuTimeEnabled(true);
    mx.setThreadAllocatedMemoryEnabled(true);
    long[] id = new long[1];
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-ledger");
              t.setDaemon(true);
              id[0] = t.getId();
              return t;
            });
    try {
      sampler.submit(() -> {}).get(); // creates the sampler thread now, so its id is known
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    samplerId = id[0];
    sampler.scheduleWithFixedDelay(this::refresh, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
  }

  /** Runs a task on the sampler thread (its CPU is not counted), after a delay. */
  void later(Runnable task, long delayMs) {
    sampler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Cumulative values since the JVM started, indexed by the constants above. JVM-thread CPU is read
   * before the Java threads', so that reading /proc does not land in a Java thread's figure.
   */
  synchronized long[] totals() {
    long[] out = new long[SIZE];
    jvmThreadCpu(out);
    refresh();
    for (Map.Entry<Long, long[]> e : lastSeen.entrySet()) {
      out[kindOf.get(e.getKey())] += e.getValue()[0];
      out[ALLOC] += e.getValue()[1];
    }
    return out;
  }

  /** The Java threads' CPU in {@link #totals()}: caller + exporter + the rest (no JIT, no GC). */
  static long javaCpu(long[] totals) {
    return totals[CALLER_CPU] + totals[EXPORTER_CPU] + totals[OTHER_CPU];
  }

  private synchronized void refresh() {
    long[] ids = mx.getAllThreadIds();
    long[] cpu = mx.getThreadCpuTime(ids);
    long[] alloc = mx.getThreadAllocatedBytes(ids);
    for (int i = 0; i < ids.length; i++) {
      long id = ids[i];
      if (id == samplerId || cpu[i] < 0 || alloc[i] < 0) {
        continue; // the sampler, or a thread that ended between the calls above
      }
      long[] seen = lastSeen.get(id);
      if (seen == null) {
        ThreadInfo info = mx.getThreadInfo(id);
        String name = info == null ? "?" : info.getThreadName();
        nameOf.put(id, name);
        kindOf.put(id, id == caller ? CALLER_CPU : isExporter(name) ? EXPORTER_CPU : OTHER_CPU);
        lastSeen.put(id, new long[] {cpu[i], alloc[i]});
      } else {
        seen[0] = cpu[i];
        seen[1] = alloc[i];
      }
    }
  }

  /** The OpenTelemetry SDK's export threads (span and metric exporters, their HTTP senders). */
  static boolean isExporter(String name) {
    return name.startsWith("BatchSpanProcessor")
        || name.startsWith("PeriodicMetricReader")
        || name.startsWith("BatchLogRecordProcessor")
        || name.startsWith("okhttp-dispatch")
        || name.startsWith("OkHttp http://127.0.0.1");
  }

  /** GC (incl. the VM thread, which runs the safepoint operations) and JIT CPU from /proc, ns. */
  private static void jvmThreadCpu(long[] out) {
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          String comm = Files.readString(task.resolve("comm")).strip();
          int kind = jvmThreadKind(comm);
          if (kind < 0) {
            continue;
          }
          String stat = Files.readString(task.resolve("schedstat"));
          out[kind] += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
          // the thread ended while being read: JVM threads of these kinds do not end (the
          // harness turns dynamic compiler threads off), so this is a Java thread; skip it
        }
      }
    } catch (IOException e) {
      // no /proc (not Linux): GC and JIT are reported as 0
    }
  }

  static int jvmThreadKind(String comm) {
    if (comm.startsWith("C1 CompilerThre")
        || comm.startsWith("C2 CompilerThre")
        || comm.startsWith("Sweeper")) {
      return JIT_CPU;
    }
    if (comm.startsWith("GC Thread")
        || comm.startsWith("G1 ")
        || comm.equals("VM Thread")
        || comm.startsWith("VM Periodic")) {
      return GC_CPU;
    }
    return -1;
  }

  /** The threads seen, heaviest first: "name=cpu ms", for the log. */
  synchronized String describe() {
    StringBuilder b = new StringBuilder();
    lastSeen.entrySet().stream()
        .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
        .forEach(
            e ->
                b.append(
                    String.format(
                        "%s[%s]=%dms;",
                        nameOf.get(e.getKey()).replace(' ', '_'),
                        kindName(kindOf.get(e.getKey())),
                        e.getValue()[0] / 1_000_000)));
    return b.toString();
  }

  private static String kindName(int kind) {
    return kind == CALLER_CPU ? "caller" : kind == EXPORTER_CPU ? "exporter" : "other";
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
