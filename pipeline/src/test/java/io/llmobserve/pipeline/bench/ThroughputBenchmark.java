package io.llmobserve.pipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.decode.OtlpDecoder;
import io.llmobserve.pipeline.decode.WireSpanDecoder;
import io.llmobserve.pipeline.job.EmbeddedPipeline;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a unit test: measures on this machine
 *
 * <ol>
 *   <li>the raw OTLP decode rate (protobuf parse + span mapping, one thread) of a payload set,
 *   <li>the sustained rate of the whole local job on the same payloads: HTTP receiver -> decode ->
 *       validate -> label limits -> cost -> event-time windows -> /metrics, until /metrics shows
 *       every call counted,
 *   <li>with real detectors: the delay from the first spiking span to its alert line.
 * </ol>
 *
 * {@code mvn -q -pl pipeline test-compile}, then {@code java -Xmx4g -cp
 * "pipeline/target/test-classes:pipeline/target/classes:$(cat pipeline/target/test-classpath.txt)"
 * io.llmobserve.pipeline.bench.ThroughputBenchmark [spans=4000000] [batch=512] [senders=2]
 * [parallelism=2] [keys=16] [warmup=max(spans,8000000)] [checkpoint=1s] [source=otlp|kafka]
 * [kafka.PROPERTY=value ...] [jfr=file]}: spans = the measured run (the requests are templates
 * replayed with moved times, {@link TimedPayloads}: any length fits in memory); batch = spans per
 * request (512: the OpenTelemetry SDK's export batch); warmup = at most this many spans are sent
 * and counted first, in rounds until the JIT compiler threads are quiet, not measured (Kafka mode:
 * exactly this many, in one go); keys = distinct series keys (services x 4 provider/model/region
 * combinations), for the heap and checkpoint size figures; kafka.* = the job's Kafka client
 * properties (Kafka mode; e.g. {@code kafka.max.partition.fetch.bytes=1048576} for Kafka's
 * default); jfr = a JFR recording of the measured run. The CPU breakdown names the JVM's own
 * threads (JIT compiler, GC) from /proc and prints the job's CPU per span with and without the JIT
 * compiler. Two rates: sustained (the receiver's accept rate in the middle of the run) and end to
 * end (until /metrics counts every call).
 */
public final class ThroughputBenchmark {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    int spans = Integer.parseInt(a.getOrDefault("spans", "4000000"));
    // The OpenTelemetry SDK's BatchSpanProcessor exports up to 512 spans per request.
    int batch = Integer.parseInt(a.getOrDefault("batch", "512"));
    int senders = Integer.parseInt(a.getOrDefault("senders", "2"));
    String parallelism = a.getOrDefault("parallelism", "2");
    // Distinct series keys (service x 4 provider/model/region combinations); 16 by default.
    int keys = Integer.parseInt(a.getOrDefault("keys", "16"));
    int services = Math.max(1, keys / 4);
    int requests = spans / batch;
    // Warm-up (not measured) in rounds until the JIT compiler threads take under 10 % of a round's
    // CPU, at most this many spans: without it the JIT compiling Flink's and the job's code took
    // ~60% of the CPU of a 20 s run (per-thread CPU from /proc).
    int maxWarmupRequests =
        Integer.parseInt(a.getOrDefault("warmup", Integer.toString(Math.max(spans, 8_000_000))))
            / batch;
    int cores = Runtime.getRuntime().availableProcessors();

    // Each warm-up round, and the measured run, starts 60 s of event time after the previous
    // round's last request: the pauses between them (waiting for /metrics) let event time follow
    // the quiet clock (DESIGN.md, "Event time"), and without the gap the first spans of a round
    // would count as late. Every span lies in the past: event time advances 2 ms per request.
    int round = Math.max(1, WARMUP_ROUND_SPANS / batch);
    long gapRequests = 60_000_000_000L / TimedPayloads.NANOS_PER_REQUEST;
    long warmupRounds = (maxWarmupRequests + round - 1) / round;
    long measuredFrom = warmupRounds * (round + gapRequests);
    long base =
        System.currentTimeMillis()
            - 120_000
            - (measuredFrom + requests) * TimedPayloads.NANOS_PER_REQUEST / 1_000_000;
    TimedPayloads load = new TimedPayloads(services, batch, base);

    System.out.printf(
        "payload: %d requests x %d spans (%d spans), %d series keys, %d cores, load average %.1f%n",
        requests, batch, requests * batch, services * 4, cores, loadAverage());
    System.out.printf(
        "request bytes: %,d (%.0f B/span)%n",
        load.templateBytes(0), (double) load.templateBytes(0) / batch);
    List<byte[]> sample = new ArrayList<>();
    for (int i = 0; i < Math.min(requests, Math.max(1, 200_000 / batch)); i++) {
      sample.add(load.request(measuredFrom + i, null));
    }

    double decodeRate = decodeRate(sample);
    System.out.printf(
        "raw decode (protobuf-java parse + map, 1 thread; the baseline): %,.0f spans/s,"
            + " %,.0f spans per CPU-second%n",
        decodeRate, decodeCpuRate);
    System.out.printf(
        "the job's own decode (WireSpanDecoder, 1 thread): %,.0f spans/s%n",
        wireDecodeRate(sample));
    sample.clear();

    Path alerts = Files.createTempFile("bench-alerts", ".jsonl");
    Map<String, String> settings =
        new java.util.HashMap<>(
            Map.of(
                "otlp-host",
                "127.0.0.1",
                "otlp-port",
                "0",
                "metrics-port",
                "0",
                "window",
                "1s",
                "out-of-orderness",
                "1s",
                "idle-timeout",
                "500ms",
                "parallelism",
                parallelism,
                "alerts-out",
                alerts.toString(),
                "detector.warmup.windows",
                "10"));
    // Counters show on /metrics at checkpoint completion: a short interval keeps that lag out
    // of the measured rate. A fresh, throw-away data dir: never resume an earlier run.
    settings.put("checkpoint-interval", a.getOrDefault("checkpoint", "1s"));
    settings.put("data-dir", Files.createTempDirectory("bench-data").toString());
    settings.put("restore-from", "none");
    // Every key its own series: no label folding, no series budget in the way.
    settings.put("max-services-per-provider", Integer.toString(services + 10));
    settings.put("max-series", Integer.toString(Math.max(100_000, keys * 40)));
    Path dataDir = Path.of(settings.get("data-dir"));
    if (a.getOrDefault("source", "otlp").equals("kafka")) {
      // Every record is produced before the job starts, generated as it is sent (any warm-up
      // fits): the warm-up records first, then the measured ones.
      a.forEach(
          (k, v) -> {
            if (k.startsWith("kafka.")) { // the job's Kafka client properties, e.g. for an A/B
              settings.put(k, v);
            }
          });
      // Record k's request: the warm-up ones from 0, the measured ones from measuredFrom.
      java.util.function.IntToLongFunction requestOf =
          k -> k < maxWarmupRequests ? k : measuredFrom + k - maxWarmupRequests;
      // Record k's export time: 500 ms after the end of its request's spans.
      KafkaMode.run(
          settings,
          maxWarmupRequests,
          requests,
          k -> load.request(requestOf.applyAsLong(k), null),
          k ->
              load.baseMillis()
                  + requestOf.applyAsLong(k) * TimedPayloads.NANOS_PER_REQUEST / 1_000_000
                  + 500,
          batch,
          decodeRate,
          cores,
          a.get("jfr"));
      return;
    }
    PipelineConfig cfg = PipelineConfig.defaultsWith(settings);
    try (EmbeddedPipeline p = EmbeddedPipeline.start(cfg)) {
      long heapBefore = usedHeapAfterGc();
      long warmed = warmUp(p, load, maxWarmupRequests, round + gapRequests, senders);
      double lateBefore = scrape(p, "llm_pipeline_late_spans_total");
      long expected = requests * (long) batch;
      Map<String, Long> threadsBefore = cpuByThread();
      NATIVE_BEFORE = cpuByNativeThread();
      STARTED_BEFORE =
          java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
      long cpuStart = processCpuNanos();
      long mainCpu = threadCpuNanos(); // this thread scrapes /metrics to see the calls counted
      SENDER_CPU.set(0);
      jdk.jfr.Recording jfr = startRecording(a.get("jfr"));
      long start = System.nanoTime();
      ReadRate readRate = new ReadRate(p, requests);
      send(p, load, measuredFrom, requests, senders);
      long sent = System.nanoTime();

      awaitCounted(p, warmed + expected);
      long done = System.nanoTime();
      stopRecording(jfr, a.get("jfr"));
      long clientCpu = printCpuByThread(threadsBefore, processCpuNanos() - cpuStart);
      // CPU the job used (receiver, tasks, checkpoints, JIT, GC), without the bench's HTTP
      // senders, their client's threads and the scrapes: on
      // a shared machine wall-clock rates follow the load, CPU per span much less.
      double jobCpuSecs =
          (processCpuNanos()
                  - cpuStart
                  - SENDER_CPU.get()
                  - clientCpu
                  - (threadCpuNanos() - mainCpu))
              / 1e9;
      double secs = (done - start) / 1e9;
      double rate = expected / secs;
      System.out.printf(
          "pipeline: %,d spans in %.2f s (all POSTed after %.2f s) = %,.0f spans/s end to end"
              + " (until /metrics counts every call)%n",
          expected, secs, (sent - start) / 1e9, rate);
      System.out.printf(
          "per core: %,.0f spans/s (parallelism %s, %d cores); load average now %.1f%n",
          rate / cores, parallelism, cores, loadAverage());
      System.out.printf("ratio pipeline / raw decode = %.2f%n", rate / decodeRate);
      readRate.stop();
      double sustained = readRate.spansPerSecond(batch);
      System.out.printf(
          "sustained: %,.0f spans/s while the job read the middle 60 %% of the run's requests"
              + " (no start-up, no drain to /metrics); ratio to the raw decode = %.2f%n",
          sustained, sustained / decodeRate);
      System.out.printf(
          "CPU: the job used %.1f CPU-s (bench senders excluded) = %,.0f spans per CPU-second;"
              + " ratio to the raw decode per CPU-second = %.2f%n",
          jobCpuSecs, expected / jobCpuSecs, expected / jobCpuSecs / decodeCpuRate);
      // The JIT was still compiling after the warm-up on a loaded machine; without it, the
      // steady state the job tends to once compilation is done.
      double steadySecs = jobCpuSecs - JIT_NANOS / 1e9;
      System.out.printf(
          "CPU without the JIT compiler threads (%.1f CPU-s): %.1f CPU-s = %,.0f spans per"
              + " CPU-second, %.1f us per span; ratio to the raw decode per CPU-second = %.2f%n",
          JIT_NANOS / 1e9,
          steadySecs,
          expected / steadySecs,
          steadySecs * 1e6 / expected,
          expected / steadySecs / decodeCpuRate);
      // State of every key seen (windows, detectors, label limits), once a checkpoint covers it.
      long heapAfter = usedHeapAfterGc();
      long checkpoints = completedCheckpoints(dataDir);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (completedCheckpoints(dataDir) < checkpoints + 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      System.out.printf(
          "state for %d series keys: heap +%.1f MB (used heap after GC, job running vs started),"
              + " last checkpoint %.1f MB%n",
          services * 4, (heapAfter - heapBefore) / 1e6, latestCheckpointBytes(dataDir) / 1e6);
      printStateByOperator(dataDir);
      System.out.printf(
          "receiver: %d accepted, %d answered 503 (retried); late spans: %.0f in the warm-up,"
              + " %.0f in the measured run%n",
          p.receiver().accepted.get(),
          p.receiver().overloaded.get(),
          lateBefore,
          scrape(p, "llm_pipeline_late_spans_total") - lateBefore);

      alertDelay(p, alerts);
    }
  }

  /**
   * A JFR recording (profile settings) of the measured run only, when {@code jfr=<file>} is given:
   * read it with {@code jfr view hot-methods <file>} (JDK 21+) or {@code jfr print}.
   */
  static jdk.jfr.Recording startRecording(String file) throws Exception {
    if (file == null) {
      return null;
    }
    jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    r.start();
    return r;
  }

  static void stopRecording(jdk.jfr.Recording r, String file) throws Exception {
    if (r != null) {
      r.stop();
      r.dump(Path.of(file));
      r.close();
      System.out.println("JFR recording of the measured run: " + file);
    }
  }

  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Used heap once the collector has run (a benchmark may ask for a GC). */
  static long usedHeapAfterGc() {
    java.lang.management.MemoryMXBean m = java.lang.management.ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      m.gc();
    }
    return m.getHeapMemoryUsage().getUsed();
  }

  static List<Path> checkpointDirs(Path dataDir) throws Exception {
    List<Path> out = new ArrayList<>();
    Path root = dataDir.resolve("checkpoints");
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (var jobs = Files.list(root)) {
      for (Path job : jobs.filter(Files::isDirectory).toList()) {
        try (var chks = Files.list(job)) {
          chks.filter(
                  c ->
                      c.getFileName().toString().startsWith("chk-")
                          && Files.exists(c.resolve("_metadata")))
              .forEach(out::add);
        }
      }
    }
    return out;
  }

  /** The completed checkpoint with the highest number (chk-N), or null. */
  static Path newestCheckpoint(Path dataDir) throws Exception {
    return checkpointDirs(dataDir).stream()
        .max(
            java.util.Comparator.comparingLong(
                c -> Long.parseLong(c.getFileName().toString().substring(4))))
        .orElse(null);
  }

  static long completedCheckpoints(Path dataDir) throws Exception {
    return checkpointDirs(dataDir).stream()
        .mapToLong(c -> Long.parseLong(c.getFileName().toString().substring(4)))
        .max()
        .orElse(0);
  }

  /**
   * The newest checkpoint's state size per operator, read from its metadata; operators are named by
   * their uid (Flink derives an operator's ID from the murmur3 hash of its uid).
   */
  static void printStateByOperator(Path dataDir) throws Exception {
    Path newest = newestCheckpoint(dataDir);
    if (newest == null) {
      return;
    }
    List<String> uids =
        new ArrayList<>(
            List.of(
                "otlp-receiver",
                "call-folds",
                "label-limiter",
                "windows",
                "route-windows",
                "metrics-sink",
                "alert-sink",
                "alert-transitions",
                "detect-stall",
                "detect-residency-violation",
                "kafka-otlp-spans",
                "kafka-otlp-metrics",
                "otlp-metrics-receiver",
                "provider-limiter",
                "late-spans"));
    for (io.llmobserve.pipeline.detect.WindowKind k :
        io.llmobserve.pipeline.detect.WindowKind.values()) {
      uids.add(k.operatorName());
    }
    for (io.llmobserve.pipeline.detect.ChangeKind k :
        io.llmobserve.pipeline.detect.ChangeKind.values()) {
      uids.add(k.operatorName());
    }
    Map<org.apache.flink.runtime.jobgraph.OperatorID, String> byId = new java.util.HashMap<>();
    for (String uid : uids) {
      byte[] hash =
          org.apache.flink.shaded.guava33.com.google.common.hash.Hashing.murmur3_128(0)
              .newHasher()
              .putString(uid, java.nio.charset.StandardCharsets.UTF_8)
              .hash()
              .asBytes();
      byId.put(new org.apache.flink.runtime.jobgraph.OperatorID(hash), uid);
    }
    org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata md;
    try (var in =
        new java.io.DataInputStream(
            new java.io.BufferedInputStream(Files.newInputStream(newest.resolve("_metadata"))))) {
      md =
          org.apache.flink.runtime.checkpoint.Checkpoints.loadCheckpointMetadata(
              in, ThroughputBenchmark.class.getClassLoader(), newest.toString());
    }
    StringBuilder line = new StringBuilder("state by operator (" + newest.getFileName() + "):");
    md.getOperatorStates().stream()
        .filter(o -> o.getStateSize() > 0)
        .sorted(java.util.Comparator.comparingLong(o -> -o.getStateSize()))
        .forEach(
            o ->
                line.append(
                    String.format(
                        " %s %.1f MB;",
                        byId.getOrDefault(o.getOperatorID(), o.getOperatorID().toString()),
                        o.getStateSize() / 1e6)));
    System.out.println(line);
  }

  /** Bytes of the newest completed checkpoint (hashmap backend: a full copy of the state). */
  static long latestCheckpointBytes(Path dataDir) throws Exception {
    Path newest = newestCheckpoint(dataDir);
    if (newest == null) {
      return 0;
    }
    long bytes = 0;
    try (var files = Files.walk(newest)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        bytes += Files.size(f);
      }
    }
    // Small state goes inline into _metadata; larger state into files of the shared dir.
    Path shared = newest.getParent().resolve("shared");
    if (Files.isDirectory(shared)) {
      try (var files = Files.walk(shared)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          bytes += Files.size(f);
        }
      }
    }
    return bytes;
  }

  /** Spans per CPU-second of the raw decode's thread (set by {@link #decodeRate}). */
  static double decodeCpuRate;

  /** CPU the bench's HTTP sender threads used, to leave out of the job's CPU. */
  static final java.util.concurrent.atomic.AtomicLong SENDER_CPU =
      new java.util.concurrent.atomic.AtomicLong();

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU per live Java thread, by name with subtask and attempt numbers folded. */
  static Map<String, Long> cpuByThread() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> m = new HashMap<>();
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null) {
        long c = mx.getThreadCpuTime(t.getThreadId());
        if (c > 0) {
          m.merge(t.getThreadName().replaceAll("[0-9]+", "#"), c, Long::sum);
        }
      }
    }
    return m;
  }

  /**
   * Where the measured run's CPU went: Java threads, and the rest (JIT compiler, GC).
   *
   * @return CPU of the bench's HTTP client threads (the senders' side, not the job's)
   */
  static long printCpuByThread(Map<String, Long> before, long processCpu) {
    Map<String, Long> after = cpuByThread();
    List<Map.Entry<String, Long>> used = new ArrayList<>();
    long javaThreads = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        used.add(Map.entry(e.getKey(), d));
        javaThreads += d;
      }
    }
    used.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
    StringBuilder b = new StringBuilder("CPU by thread (measured run):");
    for (Map.Entry<String, Long> e : used.subList(0, Math.min(12, used.size()))) {
      b.append(String.format("%nCPU  %5.1f%% %s", 100.0 * e.getValue() / processCpu, e.getKey()));
    }
    b.append(
        String.format(
            "%nCPU  %5.1f%% threads not listed above:",
            100.0 * (processCpu - javaThreads) / processCpu));
    // The JVM's own threads by name, from /proc (Linux): what "other" is made of. What neither
    // lists went to threads that ended during the run.
    Map<String, Long> nativeAfter = cpuByNativeThread();
    long nativeSum = 0;
    List<Map.Entry<String, Long>> jvm = new ArrayList<>();
    if (System.getenv("BENCH_NATIVE_THREADS") != null) { // every thread as /proc sees it
      nativeAfter.entrySet().stream()
          .map(
              e -> Map.entry(e.getKey(), e.getValue() - NATIVE_BEFORE.getOrDefault(e.getKey(), 0L)))
          .filter(e -> e.getValue() > 0)
          .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
          .limit(25)
          .forEach(
              e ->
                  System.out.printf(
                      "native %5.1f%% %s%n", 100.0 * e.getValue() / processCpu, e.getKey()));
    }
    for (Map.Entry<String, Long> e : nativeAfter.entrySet()) {
      long d = e.getValue() - NATIVE_BEFORE.getOrDefault(e.getKey(), 0L);
      if (d > 0 && JVM_THREAD.matcher(e.getKey()).find()) {
        jvm.add(Map.entry(e.getKey(), d));
        nativeSum += d;
      }
    }
    jvm.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
    JIT_NANOS = jitNanos(jvm);
    for (Map.Entry<String, Long> e : jvm) {
      b.append(
          String.format(
              "%nCPU  %5.1f%%   of which %s", 100.0 * e.getValue() / processCpu, e.getKey()));
    }
    b.append(
        String.format(
            "%nCPU  %5.1f%%   of which the bench's HTTP sender threads (ended)",
            100.0 * SENDER_CPU.get() / processCpu));
    b.append(
        String.format(
            "%nCPU  %5.1f%%   of which other threads that ended during the run (%d threads"
                + " started during it)",
            100.0 * (processCpu - javaThreads - nativeSum - SENDER_CPU.get()) / processCpu,
            java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount()
                - STARTED_BEFORE));
    System.out.println(b);
    return used.stream()
        .filter(e -> e.getKey().startsWith("HttpClient-"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * The JVM's own threads (GC, JIT, VM), as /proc names them (15 characters at most), digits folded
   * to '#' ("C2 CompilerThread0" is "C# CompilerThre").
   */
  static final java.util.regex.Pattern JVM_THREAD =
      java.util.regex.Pattern.compile("^(GC Thread|G# |C# Compiler|VM |JFR|Sweeper)");

  /** {@link #cpuByNativeThread} at the start of the measured run. */
  static Map<String, Long> NATIVE_BEFORE = new HashMap<>();

  /** CPU of the JIT compiler threads in the measured run (set by printCpuByThread). */
  static long JIT_NANOS;

  /** Threads started before the measured run. */
  static long STARTED_BEFORE;

  /** CPU nanos of every live thread of this process by /proc name, digits folded (Linux only). */
  static Map<String, Long> cpuByNativeThread() {
    Map<String, Long> m = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "#");
          String[] f = stat.substring(close + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
          m.merge(name, ticks * 10_000_000L, Long::sum); // 100 ticks per second
        } catch (Exception e) {
          // the thread ended meanwhile
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return m;
  }

  static long threadCpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  static double decodeRate(List<byte[]> payloads) throws Exception {
    AtomicInteger sink = new AtomicInteger();
    // The best of 5 rounds: on a loaded machine the JIT may take several rounds to finish.
    double best = 0;
    for (int round = 0; round < 5; round++) {
      long n = 0;
      long start = System.nanoTime();
      long cpu = threadCpuNanos();
      for (byte[] b : payloads) {
        n +=
            OtlpDecoder.decode(
                ExportTraceServiceRequest.parseFrom(b), s -> sink.incrementAndGet(), s -> {});
      }
      best = Math.max(best, n / ((System.nanoTime() - start) / 1e9));
      decodeCpuRate = Math.max(decodeCpuRate, n / ((threadCpuNanos() - cpu) / 1e9));
    }
    return best;
  }

  static double wireDecodeRate(List<byte[]> payloads) {
    AtomicInteger sink = new AtomicInteger();
    double rate = 0;
    for (int round = 0; round < 5; round++) { // the best of 5, as for the baseline
      long n = 0;
      long start = System.nanoTime();
      for (byte[] b : payloads) {
        n += WireSpanDecoder.decode(b, s -> sink.incrementAndGet(), s -> {});
      }
      rate = Math.max(rate, n / ((System.nanoTime() - start) / 1e9));
    }
    return rate;
  }

  /**
   * POSTs requests {@code from .. from + count - 1} of {@code load} over {@code senders} keep-alive
   * connections, each request until it is accepted.
   */
  static void send(EmbeddedPipeline p, TimedPayloads load, long from, int count, int senders)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(from);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < senders; t++) {
      fs.add(
          pool.submit(
              () -> {
                long cpu = threadCpuNanos();
                byte[] buf = null;
                try (TimedPayloads.Sender sender =
                    new TimedPayloads.Sender("127.0.0.1", p.otlpPort(), "/v1/traces")) {
                  long i;
                  while ((i = next.getAndIncrement()) < from + count) {
                    buf = load.request(i, buf);
                    // OTLP clients retry 503 (back-pressure) and a connection the server closed
                    // the same way. A job that has ended makes retries pointless: the run fails
                    // with the job's own error instead of sending forever.
                    int status;
                    while ((status = sender.post(buf)) != 200) {
                      if (status != 503 && status != CONNECTION_LOST) {
                        throw new IllegalStateException("receiver answered " + status);
                      }
                      failIfJobEnded(p);
                      Thread.sleep(status == 503 ? 5 : 100);
                    }
                  }
                }
                SENDER_CPU.addAndGet(threadCpuNanos() - cpu);
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
  }

  /** Spans per warm-up round. */
  static final int WARMUP_ROUND_SPANS = 500_000;

  /**
   * Warm-up rounds of {@link #WARMUP_ROUND_SPANS} until the JIT compiler threads take under 10 % of
   * a round's CPU (or {@code maxRequests} are sent). Round k sends requests from k x {@code
   * stride}: an event-time gap between rounds.
   *
   * @return spans sent and counted
   */
  static long warmUp(
      EmbeddedPipeline p, TimedPayloads load, int maxRequests, long stride, int senders)
      throws Exception {
    int round = Math.max(1, WARMUP_ROUND_SPANS / load.batch);
    long sent = 0;
    long w0 = System.nanoTime();
    for (int k = 0; sent < maxRequests; k++) {
      int n = (int) Math.min(round, maxRequests - sent);
      long cpu = processCpuNanos();
      long jit = jitNanos(cpuByNativeThread().entrySet());
      long t = System.nanoTime();
      send(p, load, k * stride, n, senders);
      sent += n;
      awaitCounted(p, sent * load.batch);
      double jitShare =
          (double) (jitNanos(cpuByNativeThread().entrySet()) - jit) / (processCpuNanos() - cpu);
      System.out.printf(
          "warm-up round %d: %,.0f spans/s, JIT compiler threads %.0f %% of the CPU%n",
          k + 1, n * load.batch / ((System.nanoTime() - t) / 1e9), 100 * jitShare);
      if (k >= 1 && jitShare < 0.10) {
        break;
      }
    }
    System.out.printf(
        "warm-up: %,d spans in %.2f s (not measured)%n",
        sent * load.batch, (System.nanoTime() - w0) / 1e9);
    return sent * load.batch;
  }

  /** CPU of the JIT compiler threads among {@code threads} (/proc names, digits folded). */
  static long jitNanos(java.util.Collection<Map.Entry<String, Long>> threads) {
    return threads.stream()
        .filter(e -> e.getKey().startsWith("C# Compiler"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * How far the job's source has read the receiver log, over time during the measured run: the
   * sustained rate is the slope between 20 % and 80 % of the run's requests, free of the start (the
   * JIT's last compilations) and of the drain (the last windows and checkpoint before /metrics
   * shows them). Records flow on from the source without buffering beyond Flink's network buffers,
   * so the source reads at the rate the whole job processes.
   */
  static final class ReadRate {
    private final long[] times = new long[100_000];
    private final long[] counts = new long[100_000];
    private final int requests;
    private final long base;
    private volatile boolean running = true;
    private final Thread sampler;
    private int n;

    ReadRate(EmbeddedPipeline p, int requests) {
      this.requests = requests;
      this.base = p.receiverLog().readPosition();
      sampler =
          new Thread(
              () -> {
                while (running && n < times.length) {
                  times[n] = System.nanoTime();
                  counts[n] = p.receiverLog().readPosition() - base;
                  n++;
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-accept-rate");
      sampler.setDaemon(true);
      sampler.start();
    }

    void stop() throws InterruptedException {
      running = false;
      sampler.join();
    }

    double spansPerSecond(int batch) {
      int from = -1;
      int to = -1;
      for (int i = 0; i < n; i++) {
        if (from < 0 && counts[i] >= requests / 5) {
          from = i;
        }
        if (to < 0 && counts[i] >= requests * 4L / 5) {
          to = i;
        }
      }
      if (from < 0 || to <= from) {
        return Double.NaN;
      }
      return (counts[to] - counts[from]) * (double) batch / ((times[to] - times[from]) / 1e9);
    }
  }

  /** What {@link TimedPayloads.Sender#post} returns when the connection broke before an answer. */
  static final int CONNECTION_LOST = -1;

  /** Throws the job's failure once the job has ended (the senders must not outlive it). */
  static void failIfJobEnded(EmbeddedPipeline p) throws Exception {
    if (p.job().getJobStatus().get().isGloballyTerminalState()) {
      p.job().getJobExecutionResult().get();
      throw new IllegalStateException("the job ended while the bench was still sending");
    }
  }

  static int post(URI uri, byte[] body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static double scrape(EmbeddedPipeline p, String metric) throws Exception {
    return scrape(p.metricsPort(), metric);
  }

  /** The sum of every series of the given metrics, from one scrape of just those metrics. */
  static double scrape(int metricsPort, String... metrics) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + metricsPort
                                + "/metrics?"
                                + String.join(
                                    "&",
                                    java.util.Arrays.stream(metrics)
                                        .map(m -> "name[]=" + m)
                                        .toList())))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String line : body.split("\n")) {
      for (String metric : metrics) {
        if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  static void awaitCounted(EmbeddedPipeline p, long expected) throws Exception {
    long deadline = System.nanoTime() + 1_800_000_000_000L;
    while (System.nanoTime() < deadline) {
      long t = System.nanoTime();
      if (scrape(p.metricsPort(), "llm_calls_total", "llm_pipeline_late_spans_total") >= expected) {
        return;
      }
      failIfJobEnded(p);
      Thread.sleep(Math.max(20, 4 * (System.nanoTime() - t) / 1_000_000));
    }
    throw new IllegalStateException(
        "not all calls counted: " + scrape(p, "llm_calls_total") + " < " + expected);
  }

  static void awaitCounted(int metricsPort, long expected) throws Exception {
    awaitCounted(metricsPort, expected, (nanos, counted) -> {});
  }

  /** A count seen on /metrics, with the {@link System#nanoTime} of the scrape that saw it. */
  interface CountSeen {
    void at(long nanos, long counted);
  }

  /** As {@link #awaitCounted(int, long)}, telling {@code each} every count it sees on the way. */
  static void awaitCounted(int metricsPort, long expected, CountSeen each) throws Exception {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (System.nanoTime() < deadline) {
      // Every span ends up counted as a call, or as late (two senders interleave requests).
      long t = System.nanoTime();
      long counted = (long) scrape(metricsPort, "llm_calls_total", "llm_pipeline_late_spans_total");
      each.at(t, counted);
      if (counted >= expected) {
        return;
      }
      // With many keys /metrics is large: scraping must not take the job's CPU.
      Thread.sleep(Math.max(20, 4 * (System.nanoTime() - t) / 1_000_000));
    }
    throw new IllegalStateException(
        "not all calls counted: " + scrape(metricsPort, "llm_calls_total") + " < " + expected);
  }

  /**
   * Baseline on a past timeline, then a live spike: wall time from its first span to the alert
   * line.
   */
  static void alertDelay(EmbeddedPipeline p, Path alerts) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + p.otlpPort() + "/v1/traces");
    Random rnd = new Random(1);
    long now = System.currentTimeMillis();
    long t0 = now / 1000 * 1000 - 40_000;
    int w = 0;
    for (; t0 + w * 1000L + 1000 < now; w++) { // ~40 one-second windows of normal latency
      post(uri, windowOf(t0 + w * 1000L, 20, 0.5, rnd).toByteArray());
    }
    long spikeStart = System.nanoTime();
    long deadline = spikeStart + 60_000_000_000L;
    ObjectMapper json = new ObjectMapper();
    while (System.nanoTime() < deadline) {
      long end = System.currentTimeMillis();
      post(
          uri,
          OtlpPayloads.request(
                  "alert-bench",
                  List.of(
                      OtlpPayloads.call("openai", "gpt-4o", end, 3.0 + rnd.nextGaussian() * 0.05)
                          .tokens(500, 100)
                          .build()))
              .toByteArray());
      for (String line : Files.readAllLines(alerts)) {
        JsonNode n = json.readTree(line);
        if (n.get("kind").asText().equals("latency_spike")
            && n.get("state").asText().equals("firing")
            && n.get("service").asText().equals("alert-bench")) {
          System.out.printf(
              "alert delay: first spiking span -> latency_spike firing line: %.2f s (window 1s, out-of-orderness 1s)%n",
              (System.nanoTime() - spikeStart) / 1e9);
          return;
        }
      }
      Thread.sleep(20);
    }
    System.out.println("alert delay: no latency_spike alert within 60 s (detectors placeholder?)");
  }

  static ExportTraceServiceRequest windowOf(long windowStart, int n, double latency, Random rnd) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      spans.add(
          OtlpPayloads.call(
                  "openai",
                  "gpt-4o",
                  windowStart + 10 + i * (980L / n),
                  latency + rnd.nextGaussian() * 0.03)
              .tokens(500, 100)
              .build());
    }
    return OtlpPayloads.request("alert-bench", spans);
  }
}
