package io.llmobserve.agenttests.bench;

import io.llmobserve.agenttests.harness.ForkResult;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.OtlpReceiver;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU cost per LLM call of: no agent, the plain upstream OpenTelemetry agent, and this agent
 * (exporting to a local OTLP receiver, and with the trace exporter off), measured in ONE run,
 * variants interleaved round by round so machine noise hits all alike. Not a test: run it by
 * hand (see agent-tests/README.md). Args (optional): rounds, warm-up calls, measured calls.
 */
public final class OverheadHarness {
  private static final Pattern BENCH = Pattern.compile("BENCH cpuNsPerCall=(\\d+) wallNsPerCall=(\\d+)");

  record Variant(String name, UnaryOperator<ForkedJvm> setup) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    Path ours = TestPaths.agentJar();
    Path upstream = TestPaths.upstreamAgentJar();
    for (Path p : List.of(ours, upstream)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("missing " + p + ": build with mvn -pl agent,agent-tests -am test-compile package -DskipTests");
      }
    }
    Profile profile = Profile.fast().toBuilder().latencyMs(1).build();
    try (LlmSimulator sim = LlmSimulator.builder().port(0).seed(42).profile(profile).start();
        OtlpReceiver receiver = new OtlpReceiver()) {
      String endpoints = sim.baseUrl() + "/v1=openai";
      List<Variant> variants = List.of(
          new Variant("no agent", j -> j.agentJar(null)),
          new Variant("upstream agent 2.31.1", j -> j.agentJar(upstream).otlpEndpoint(receiver.endpoint())),
          new Variant("llm-otel agent", j -> j.agentJar(ours).otlpEndpoint(receiver.endpoint())
              .sysProp("otel.instrumentation.llm.endpoints", endpoints)),
          new Variant("llm-otel agent, traces exporter none", j -> j.agentJar(ours)
              .otlpEndpoint(receiver.endpoint())
              .sysProp("otel.traces.exporter", "none")
              .sysProp("otel.instrumentation.llm.endpoints", endpoints)));

      Map<String, List<long[]>> samples = new LinkedHashMap<>();
      variants.forEach(v -> samples.put(v.name(), new ArrayList<>()));
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < variants.size(); i++) {
          Variant v = variants.get((i + round) % variants.size()); // rotate the order every round
          ForkedJvm jvm = ForkedJvm.main(OverheadApp.class).serviceName("overhead-bench").fastStartup(false)
              .jvmArg("-Xmx512m").args(sim.baseUrl(), String.valueOf(warmup), String.valueOf(calls))
              .timeout(Duration.ofMinutes(5));
          ForkResult r = v.setup().apply(jvm).run();
          Matcher m = BENCH.matcher(r.stdout());
          if (r.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException(v.name() + " failed: " + r.describe());
          }
          long cpu = Long.parseLong(m.group(1));
          long wall = Long.parseLong(m.group(2));
          samples.get(v.name()).add(new long[] {cpu, wall});
          System.out.printf("round %d  %-38s cpu/call %7.1f us   wall/call %7.1f us%n",
              round + 1, v.name(), cpu / 1e3, wall / 1e3);
        }
      }
      report(samples, rounds, warmup, calls);
    }
  }

  private static void report(Map<String, List<long[]>> samples, int rounds, int warmup, int calls) {
    double baseCpu = median(samples.get("no agent"), 0);
    double baseWall = median(samples.get("no agent"), 1);
    System.out.printf("%nmedian of %d rounds, %d warm-up + %d measured openai-java calls per JVM%n",
        rounds, warmup, calls);
    System.out.printf("%-38s %12s %8s %12s %8s%n", "variant", "cpu us/call", "x base", "wall us/call", "x base");
    samples.forEach((name, s) -> {
      double cpu = median(s, 0);
      double wall = median(s, 1);
      System.out.printf("%-38s %12.1f %8.2f %12.1f %8.2f%n", name, cpu / 1e3, cpu / baseCpu, wall / 1e3,
          wall / baseWall);
    });
  }

  private static double median(List<long[]> s, int idx) {
    long[] v = s.stream().mapToLong(a -> a[idx]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }
}
