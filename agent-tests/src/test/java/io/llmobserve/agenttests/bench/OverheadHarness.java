package io.llmobserve.agenttests.bench;

import io.llmobserve.agenttests.harness.ForkResult;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import io.llmobserve.testsupport.OtlpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU and allocation per call of every HTTP client ({@link BenchClient}s in {@code bench.clients}),
 * chat, stream and non-LLM, under: no agent, the plain upstream OpenTelemetry agent, the upstream
 * agent again (the noise floor: upstream against itself), and this agent (exporting to a local OTLP
 * receiver). All in ONE run, one fresh JVM per variant per round, the variants' order rotated every
 * round so machine noise hits all alike. Ratios are taken per round (same round, same machine
 * state) and reported as median [min..max] over rounds.
 *
 * <p>Not a test: run it by hand (see agent-tests/README.md). Args (optional): rounds, warm-up
 * calls, measured calls, clients (comma-separated names, empty = all), operations
 * (chat,stream,nonllm). {@code -Dbench.compare=before=/path/agent.jar,...} adds other builds of
 * this agent as variants (before/after in one run).
 */
public final class OverheadHarness {
  private static final Pattern BENCH =
      Pattern.compile(
          "BENCH client=(\\S+) op=(\\S+) cpuNsPerCall=(\\d+) wallNsPerCall=(\\d+) allocBytesPerCall=(\\d+)");
  static final String NONE = "none";
  static final String UPSTREAM = "upstream";
  static final String UPSTREAM_AGAIN = "upstream'";
  static final String OURS = "ours";

  record Variant(String name, UnaryOperator<ForkedJvm> setup) {}

  /** One measurement: metric index 0 cpu, 1 wall, 2 alloc (per call). */
  record Sample(int round, long[] values) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    String clients = args.length > 3 ? args[3] : "";
    String ops = args.length > 4 ? args[4] : "";
    Path ours = TestPaths.agentJar();
    Path upstream = TestPaths.upstreamAgentJar();
    Map<String, Path> compare = new LinkedHashMap<>();
    for (String entry : System.getProperty("bench.compare", "").split(",")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        compare.put(entry.substring(0, eq).trim(), Path.of(entry.substring(eq + 1).trim()));
      }
    }
    List<Path> jars = new ArrayList<>(List.of(ours, upstream));
    jars.addAll(compare.values());
    for (Path p : jars) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(
            "missing " + p + ": build with mvn -pl agent,agent-tests -am package -DskipTests");
      }
    }
    Profile profile = Profile.fast().toBuilder().latencyMs(1).ttftMs(1).chunkIntervalMs(0).build();
    try (LlmSimulator sim = LlmSimulator.builder().port(0).seed(42).profile(profile).start();
        OtlpReceiver receiver = new OtlpReceiver()) {
      String endpoints = sim.baseUrl() + "/v1=openai";
      List<Variant> variants =
          new ArrayList<>(
              List.of(
                  new Variant(NONE, j -> j.agentJar(null)),
                  new Variant(
                      UPSTREAM, j -> j.agentJar(upstream).otlpEndpoint(receiver.endpoint())),
                  new Variant(
                      UPSTREAM_AGAIN, j -> j.agentJar(upstream).otlpEndpoint(receiver.endpoint())),
                  new Variant(
                      OURS,
                      j ->
                          j.agentJar(ours)
                              .otlpEndpoint(receiver.endpoint())
                              .sysProp("otel.instrumentation.llm.endpoints", endpoints))));
      compare.forEach(
          (name, jar) ->
              variants.add(
                  new Variant(
                      name,
                      j ->
                          j.agentJar(jar)
                              .otlpEndpoint(receiver.endpoint())
                              .sysProp("otel.instrumentation.llm.endpoints", endpoints))));

      // "client op" -> variant -> samples
      Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < variants.size(); i++) {
          Variant v = variants.get((i + round) % variants.size()); // rotate the order every round
          ForkedJvm jvm =
              ForkedJvm.main(OverheadApp.class)
                  .serviceName("overhead-bench")
                  .fastStartup(false)
                  .jvmArg("-Xmx512m")
                  .args(
                      sim.baseUrl(),
                      String.valueOf(warmup),
                      String.valueOf(calls),
                      String.valueOf(round),
                      clients,
                      ops)
                  .timeout(Duration.ofMinutes(20));
          ForkResult r = v.setup().apply(jvm).run();
          Matcher m = BENCH.matcher(r.stdout());
          int found = 0;
          while (m.find()) {
            found++;
            String key = m.group(1) + " " + m.group(2);
            long[] values = {
              Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5))
            };
            samples
                .computeIfAbsent(key, k -> new LinkedHashMap<>())
                .computeIfAbsent(v.name(), k -> new ArrayList<>())
                .add(new Sample(round, values));
          }
          if (r.exitCode() != 0 || found == 0) {
            throw new IllegalStateException(v.name() + " failed: " + r.describe());
          }
          System.out.printf("round %d  %-10s done in %s%n", round + 1, v.name(), r.wallTime());
        }
        // the tables so far after every round: a run cut short still reports its complete rounds
        printTables(round + 1, variants, warmup, calls, samples);
      }
    }
  }

  private static void printTables(
      int rounds,
      List<Variant> variants,
      int warmup,
      int calls,
      Map<String, Map<String, List<Sample>>> samples) {
    System.out.printf(
        "%n%d complete rounds x %d variants (fresh JVM each), %d warm-up + %d measured calls per"
            + " client and operation; simulator latency 1 ms, no chunk pacing; load average %s%n",
        rounds, variants.size(), warmup, calls, loadAverage());
    List<String> others = new ArrayList<>();
    variants.forEach(
        v -> {
          if (!v.name().equals(NONE) && !v.name().equals(UPSTREAM)) {
            others.add(v.name());
          }
        });
    report("CPU per call (process CPU, all threads), us", samples, others, 0, 1e3);
    report("allocation per call (all threads), KB", samples, others, 2, 1024.0);
    report("wall per call, us", samples, others, 1, 1e3);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException | RuntimeException e) {
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
        "%n%s: medians; X/upstream = median [min..max] of the per-round ratios%n", title);
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
            double[] ratios = ratios(byVariant.get(o), byVariant.get(UPSTREAM), metric);
            line.append(
                String.format(" %8.3f [%5.3f..%5.3f]", median(ratios), min(ratios), max(ratios)));
          }
          System.out.println(line);
        });
  }

  private static double[] values(List<Sample> s, int metric) {
    return s == null ? new double[0] : s.stream().mapToDouble(x -> x.values()[metric]).toArray();
  }

  /** a/b per round (the same round's JVMs ran under the same machine load). */
  private static double[] ratios(List<Sample> a, List<Sample> b, int metric) {
    if (a == null || b == null) {
      return new double[0];
    }
    List<Double> r = new ArrayList<>();
    for (Sample x : a) {
      for (Sample y : b) {
        if (x.round() == y.round() && y.values()[metric] > 0) {
          r.add((double) x.values()[metric] / y.values()[metric]);
        }
      }
    }
    return r.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double median(double[] v) {
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
