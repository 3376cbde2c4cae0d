package io.llmobserve.agenttests.bench;

import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import io.llmobserve.testsupport.OtlpReceiver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * CPU and allocation per call of every HTTP client ({@link BenchClient}s in {@code bench.clients}),
 * chat, stream and non-LLM, under: no agent, the plain upstream OpenTelemetry agent, the upstream
 * agent again (the noise floor: upstream against itself), and this agent (exporting to a local OTLP
 * receiver); {@code -Dbench.compare=before=/path/agent.jar,...} adds other builds of this agent
 * (before/after in one run).
 *
 * <p>How it keeps CPU figures comparable on a loaded machine:
 *
 * <ul>
 *   <li>Every round starts one fresh JVM per variant, all at once, with identical JVM flags (fixed
 *       heap, fixed number of compiler threads). Each warms every (client, operation) pair up and
 *       keeps warming until the JIT is quiet ({@link OverheadApp}).
 *   <li>Then the JVMs take turns: for each pair, {@code slices} cycles in which every JVM in turn
 *       runs one slice of {@code calls} calls while the others idle. The same slice of all variants
 *       thus runs within a second or two of each other, under the same machine load; the order of
 *       the JVMs in a cycle and of the pairs is rotated every round.
 *   <li>A slice's window is its calls plus {@code drain} ms (the batch exporter's work for them),
 *       and counts the CPU of the JVM's Java threads only, per thread (robust to threads that end):
 *       the calling thread, the client's and pools' threads, the exporter's. JIT compilation (a
 *       one-time cost that lingers in the background) and GC (which follows allocation, reported
 *       anyway) are read apart from /proc and shown in the breakdown, not in the ratio.
 *   <li>X/upstream per round = median over the cycles of (X's slice / upstream's slice in the same
 *       cycle); reported as median [min..max] over rounds.
 * </ul>
 *
 * <p>Not a test: run it by hand (see agent-tests/README.md). Args (all optional, positional):
 * rounds (3), warm-up calls per pair (1000), calls per slice (100), clients (comma-separated names,
 * empty = all), operations (chat,stream,nonllm; {@code client:op} for one client only), slices per
 * pair per round (5). System properties: {@code bench.compare} (above), {@code bench.upstream} (the
 * upstream agent jar; default {@code target/upstream-agent/}), {@code bench.drainMs} (500), {@code
 * bench.maxWarmupSeconds} (300: the warm-up ends then even if the JIT is still busy), {@code
 * bench.metricIntervalMs} (60000, the SDK's default metric export interval). With every client and
 * operation and 5 variants, a round took 19 minutes at load average 35-70 on the 2 cores (16 of
 * them warm-up); 3 rounds fit in 25 minutes only on a lightly loaded machine.
 */
public final class OverheadHarness {
  static final String NONE = "none";
  static final String UPSTREAM = "upstream";
  static final String UPSTREAM_AGAIN = "upstream'";
  static final String OURS = "ours";

  /** Per-call metrics of a window: CPU (ns) of Java threads and parts, allocation, wall. */
  static final int JAVA_CPU = 0;

  static final int CALLER_CPU = 1;
  static final int OTHER_CPU = 2;
  static final int EXPORTER_CPU = 3;
  static final int GC_CPU = 4;
  static final int JIT_CPU = 5;
  static final int ALLOC = 6;
  static final int WALL = 7;

  record Variant(String name, UnaryOperator<ForkedJvm> setup) {}

  /** One window of one slice, per call. */
  record Sample(int round, int cycle, double[] values) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    String clients = args.length > 3 ? args[3] : "";
    String ops = args.length > 4 ? args[4] : "";
    int slices = args.length > 5 ? Integer.parseInt(args[5]) : 5;
    long drainMs = Long.getLong("bench.drainMs", 500);
    long maxWarmupSeconds = Long.getLong("bench.maxWarmupSeconds", 300);
    // the SDK's default export interval (the forks' 1 s is for tests): a metric export (with the
    // agent's JVM runtime metrics) is a per-interval cost, and at 1 s one landed in about every
    // other window, more than the per-call difference on the lighter pairs
    String metricIntervalMs = String.valueOf(Long.getLong("bench.metricIntervalMs", 60_000));
    Path ours = TestPaths.agentJar();
    Path upstream = upstreamAgentJar();
    Map<String, Path> compare = new LinkedHashMap<>();
    for (String entry : System.getProperty("bench.compare", "").split(",")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        compare.put(entry.substring(0, eq).trim(), Path.of(entry.substring(eq + 1).trim()));
      }
    }
    List<Path> jars = new ArrayList<>(List.of(ours, upstream));
    jars.addAll(compare.values());
    requireAgentJars(jars);
    Path logDir =
        (Files.isDirectory(Path.of("agent-tests")) ? Path.of("agent-tests") : Path.of(""))
            .resolve("target/bench-logs")
            .toAbsolutePath();
    Files.createDirectories(logDir);
    Path csv = logDir.resolve("overhead-" + System.currentTimeMillis() + ".csv");
    Files.writeString(
        csv,
        "round,cycle,variant,pair,calls,callerCpuNs,exporterCpuNs,otherCpuNs,gcCpuNs,jitCpuNs,"
            + "allocBytes,wallNs\n");

    try (LlmSimulator sim =
            LlmSimulator.builder().port(0).seed(42).profile(simulatorProfile()).start();
        OtlpReceiver receiver = new OtlpReceiver()) {
      String endpoints = sim.baseUrl() + "/v1=openai";
      List<Variant> variants =
          new ArrayList<>(
              List.of(
                  new Variant(NONE, j -> j.agentJar(null)),
                  new Variant(
                      UPSTREAM,
                      j ->
                          j.agentJar(upstream)
                              .otlpEndpoint(receiver.endpoint())
                              .sysProp("otel.metric.export.interval", metricIntervalMs)),
                  new Variant(
                      UPSTREAM_AGAIN,
                      j ->
                          j.agentJar(upstream)
                              .otlpEndpoint(receiver.endpoint())
                              .sysProp("otel.metric.export.interval", metricIntervalMs)),
                  new Variant(
                      OURS,
                      j ->
                          j.agentJar(ours)
                              .otlpEndpoint(receiver.endpoint())
                              .sysProp("otel.instrumentation.llm.endpoints", endpoints)
                              .sysProp("otel.metric.export.interval", metricIntervalMs))));
      compare.forEach(
          (name, jar) ->
              variants.add(
                  new Variant(
                      name,
                      j ->
                          j.agentJar(jar)
                              .otlpEndpoint(receiver.endpoint())
                              .sysProp("otel.instrumentation.llm.endpoints", endpoints)
                              .sysProp("otel.metric.export.interval", metricIntervalMs))));
      System.out.printf(
          "overhead harness: %d rounds, %d warm-up calls per pair (then until the JIT is quiet),"
              + " %d slices x %d calls per pair and variant, drain %d ms; variants %s; raw windows"
              + " in %s%n",
          rounds,
          warmup,
          slices,
          calls,
          drainMs,
          variants.stream().map(Variant::name).toList(),
          csv);

      // "client op" -> variant -> samples
      Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        Instant roundStart = Instant.now();
        List<Fork> forks = new ArrayList<>();
        try {
          for (Variant v : variants) {
            ForkedJvm jvm =
                ForkedJvm.main(OverheadApp.class)
                    .serviceName("overhead-bench")
                    .fastStartup(false)
                    .jvmArg("-Xms512m")
                    .jvmArg("-Xmx512m")
                    .jvmArg("-XX:-UseDynamicNumberOfCompilerThreads")
                    // C2 after 1000 calls of a method instead of 5000 (less warm-up), C1 as usual
                    .jvmArg("-XX:Tier4InvocationThreshold=1000")
                    .jvmArg("-XX:Tier4MinInvocationThreshold=120")
                    .jvmArg("-XX:Tier4CompileThreshold=3000")
                    .args(
                        sim.baseUrl(),
                        String.valueOf(warmup),
                        String.valueOf(drainMs),
                        clients,
                        ops,
                        String.valueOf(maxWarmupSeconds));
            forks.add(
                new Fork(
                    v.name(),
                    v.setup().apply(jvm).command(),
                    logDir.resolve("round" + (round + 1) + "-" + v.name() + ".log")));
          }
          List<String> pairs = null;
          for (Fork f : forks) {
            String ready = f.await("BENCH ready", Duration.ofMinutes(20));
            System.out.printf("round %d  %-10s %s%n", round + 1, f.name, ready.substring(12));
            List<String> p = List.of(field(ready, "pairs").split(","));
            if (pairs != null && !pairs.equals(p)) {
              throw new IllegalStateException("variants disagree on the pairs: " + p);
            }
            pairs = p;
          }
          Instant measureStart = Instant.now();
          for (int k = 0; k < pairs.size(); k++) {
            int pair = (k + round) % pairs.size();
            for (int cycle = 0; cycle < slices; cycle++) {
              for (int j = 0; j < forks.size(); j++) {
                Fork f = forks.get((j + k + round) % forks.size());
                f.send("slice " + pair + " " + calls + " " + cycle);
                f.await("BENCH ran", Duration.ofMinutes(5));
              }
            }
          }
          for (Fork f : forks) {
            f.send("finish");
          }
          for (Fork f : forks) {
            f.await("BENCH finished", Duration.ofMinutes(2));
            record(f, round, samples, csv);
          }
          System.out.printf(
              "round %d  warm-up %ds, measured %ds%n",
              round + 1,
              Duration.between(roundStart, measureStart).toSeconds(),
              Duration.between(measureStart, Instant.now()).toSeconds());
        } finally {
          for (Fork f : forks) {
            f.close();
          }
        }
        // the tables so far after every round: a run cut short still reports its complete rounds
        printTables(round + 1, variants, warmup, calls, slices, samples);
      }
    }
  }

  /** One running variant JVM, driven line by line over stdin/stdout. */
  private static final class Fork implements AutoCloseable {
    final String name;
    final Process process;
    final Path log;
    final PrintWriter stdin;
    final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    final List<String> windows = new ArrayList<>();

    Fork(String name, List<String> command, Path log) throws IOException {
      this.name = name;
      this.log = log;
      Files.writeString(log, String.join(" ", command) + "\n");
      process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      OutputStream out = process.getOutputStream();
      stdin = new PrintWriter(out, true, StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                        new BufferedReader(
                            new InputStreamReader(
                                process.getInputStream(), StandardCharsets.UTF_8));
                    java.io.Writer stdout =
                        Files.newBufferedWriter(
                            Path.of(log.toString().replace(".log", ".stdout")),
                            StandardCharsets.UTF_8)) {
                  for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("BENCH window ")) {
                      synchronized (windows) {
                        windows.add(line);
                      }
                    } else if (line.startsWith("BENCH ")) {
                      replies.add(line);
                    }
                    stdout.write(line);
                    stdout.write('\n');
                  }
                } catch (IOException e) {
                  // the process ended; await() reports it
                }
              },
              "fork-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    void send(String command) {
      stdin.println(command);
    }

    String await(String prefix, Duration timeout) throws InterruptedException, IOException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String line = replies.poll(1, TimeUnit.SECONDS);
        if (line != null && line.startsWith(prefix)) {
          return line;
        }
        if (line == null && !process.isAlive() && replies.isEmpty()) {
          throw new IllegalStateException(
              name + " exited (" + process.exitValue() + ") before " + prefix + ": " + tail());
        }
      }
      throw new IllegalStateException(name + ": no " + prefix + " within " + timeout + tail());
    }

    private String tail() throws IOException {
      String s = Files.readString(log);
      return "\n" + log + ":\n" + (s.length() > 4000 ? s.substring(s.length() - 4000) : s);
    }

    @Override
    public void close() throws InterruptedException {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void record(
      Fork f, int round, Map<String, Map<String, List<Sample>>> samples, Path csv)
      throws IOException {
    StringBuilder rows = new StringBuilder();
    synchronized (f.windows) {
      for (String w : f.windows) {
        String pair = field(w, "pair");
        int cycle = Integer.parseInt(field(w, "tag"));
        double n = Long.parseLong(field(w, "calls"));
        long caller = Long.parseLong(field(w, "callerCpuNs"));
        long exporter = Long.parseLong(field(w, "exporterCpuNs"));
        long other = Long.parseLong(field(w, "otherCpuNs"));
        long gc = Long.parseLong(field(w, "gcCpuNs"));
        long jit = Long.parseLong(field(w, "jitCpuNs"));
        long alloc = Long.parseLong(field(w, "allocBytes"));
        long wall = Long.parseLong(field(w, "wallNs"));
        double[] v = new double[8];
        v[JAVA_CPU] = (caller + exporter + other) / n;
        v[CALLER_CPU] = caller / n;
        v[OTHER_CPU] = other / n;
        v[EXPORTER_CPU] = exporter / n;
        v[GC_CPU] = gc / n;
        v[JIT_CPU] = jit / n;
        v[ALLOC] = alloc / n;
        v[WALL] = wall / n;
        samples
            .computeIfAbsent(pair.replace(':', ' '), k -> new LinkedHashMap<>())
            .computeIfAbsent(f.name, k -> new ArrayList<>())
            .add(new Sample(round, cycle, v));
        rows.append(
            String.join(
                ",",
                String.valueOf(round + 1),
                String.valueOf(cycle),
                f.name,
                pair,
                field(w, "calls"),
                String.valueOf(caller),
                String.valueOf(exporter),
                String.valueOf(other),
                String.valueOf(gc),
                String.valueOf(jit),
                String.valueOf(alloc),
                String.valueOf(wall)));
        rows.append('\n');
      }
    }
    Files.writeString(csv, rows, java.nio.file.StandardOpenOption.APPEND);
  }

  /** The value of {@code key=value} in a BENCH line. */
  static String field(String line, String key) {
    for (String token : line.split(" ")) {
      if (token.startsWith(key + "=")) {
        return token.substring(key.length() + 1);
      }
    }
    throw new IllegalArgumentException("no " + key + " in " + line);
  }

  private static void printTables(
      int rounds,
      List<Variant> variants,
      int warmup,
      int calls,
      int slices,
      Map<String, Map<String, List<Sample>>> samples) {
    System.out.printf(
        "%n%d complete rounds x %d variants (fresh JVMs each round, taking turns slice by slice),"
            + " %d+ warm-up calls per pair, %d slices x %d calls per pair and variant per round;"
            + " simulator latency 1 ms, no chunk pacing; load average %s%n",
        rounds, variants.size(), warmup, slices, calls, loadAverage());
    List<String> others = new ArrayList<>();
    variants.forEach(
        v -> {
          if (!v.name().equals(NONE) && !v.name().equals(UPSTREAM)) {
            others.add(v.name());
          }
        });
    report(
        "CPU per call, us: Java threads (caller + client/pool threads + exporter; JIT and GC"
            + " apart)",
        samples,
        others,
        JAVA_CPU,
        1e3);
    report("allocation per call (all Java threads), KB", samples, others, ALLOC, 1024.0);
    breakdown(samples, variants);
    report("wall per call, us", samples, others, WALL, 1e3);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException | RuntimeException e) {
      return String.format(
          "%.1f",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static void report(
      String title,
      Map<String, Map<String, List<Sample>>> samples,
      List<String> others,
      int metric,
      double unit) {
    System.out.printf(
        "%n%s: medians; X/upstream = median [min..max] over rounds of the round's median same-cycle"
            + " ratio%n",
        title);
    StringBuilder head =
        new StringBuilder(String.format("%-22s %9s %9s", "client op", NONE, UPSTREAM));
    for (String o : others) {
      head.append(String.format(" %9s", o));
    }
    for (String o : others) {
      head.append(String.format(" %24s", o + "/upstream"));
    }
    System.out.println(head);
    samples.forEach(
        (key, byVariant) -> {
          StringBuilder line =
              new StringBuilder(
                  String.format(
                      "%-22s %9.1f %9.1f",
                      key,
                      median(values(byVariant.get(NONE), metric)) / unit,
                      median(values(byVariant.get(UPSTREAM), metric)) / unit));
          for (String o : others) {
            line.append(String.format(" %9.1f", median(values(byVariant.get(o), metric)) / unit));
          }
          for (String o : others) {
            double[] ratios = roundRatios(byVariant.get(o), byVariant.get(UPSTREAM), metric);
            line.append(
                String.format(" %8.3f [%5.3f..%5.3f]", median(ratios), min(ratios), max(ratios)));
          }
          System.out.println(line);
        });
  }

  /** Where the CPU goes, per variant: caller / client+pool threads / exporter / GC+VM / JIT. */
  private static void breakdown(
      Map<String, Map<String, List<Sample>>> samples, List<Variant> variants) {
    System.out.printf(
        "%nCPU breakdown per call, us (medians): caller thread / client and pool threads /"
            + " exporter threads / GC+VM / JIT (the last two are not in the ratio)%n");
    StringBuilder head = new StringBuilder(String.format("%-22s", "client op"));
    for (Variant v : variants) {
      head.append(String.format(" %-26s", v.name()));
    }
    System.out.println(head);
    samples.forEach(
        (key, byVariant) -> {
          StringBuilder line = new StringBuilder(String.format("%-22s", key));
          for (Variant v : variants) {
            List<Sample> s = byVariant.get(v.name());
            line.append(
                String.format(
                    " %-26s",
                    String.format(
                        "%.0f/%.0f/%.0f/%.0f/%.0f",
                        median(values(s, CALLER_CPU)) / 1e3,
                        median(values(s, OTHER_CPU)) / 1e3,
                        median(values(s, EXPORTER_CPU)) / 1e3,
                        median(values(s, GC_CPU)) / 1e3,
                        median(values(s, JIT_CPU)) / 1e3)));
          }
          System.out.println(line);
        });
  }

  private static double[] values(List<Sample> s, int metric) {
    return s == null ? new double[0] : s.stream().mapToDouble(x -> x.values()[metric]).toArray();
  }

  /**
   * Per round: the median over its cycles of a/b, a and b from the same cycle (run within a second
   * or two of each other, under the same machine load).
   */
  static double[] roundRatios(List<Sample> a, List<Sample> b, int metric) {
    if (a == null || b == null) {
      return new double[0];
    }
    Map<Integer, List<Double>> byRound = new java.util.TreeMap<>();
    Map<String, Sample> bByCycle = new HashMap<>();
    for (Sample y : b) {
      bByCycle.put(y.round() + "/" + y.cycle(), y);
    }
    for (Sample x : a) {
      Sample y = bByCycle.get(x.round() + "/" + x.cycle());
      if (y != null && y.values()[metric] > 0) {
        byRound
            .computeIfAbsent(x.round(), k -> new ArrayList<>())
            .add(x.values()[metric] / y.values()[metric]);
      }
    }
    return byRound.values().stream()
        .mapToDouble(r -> median(r.stream().mapToDouble(Double::doubleValue).toArray()))
        .toArray();
  }

  /**
   * The upstream agent both harnesses compare against: {@code bench.upstream}, else the build's.
   */
  static Path upstreamAgentJar() {
    return Path.of(System.getProperty("bench.upstream", TestPaths.upstreamAgentJar().toString()));
  }

  /** Fails with the build command when one of the agent jars to measure is missing. */
  static void requireAgentJars(List<Path> jars) {
    for (Path p : jars) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(
            "missing " + p + ": build with mvn -pl agent,agent-tests -am package -DskipTests");
      }
    }
  }

  /**
   * The simulator of both harnesses: answers in ~1 ms, streams unpaced (the client's work shows).
   */
  static Profile simulatorProfile() {
    return Profile.fast().toBuilder().latencyMs(1).ttftMs(1).chunkIntervalMs(0).build();
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }
}
