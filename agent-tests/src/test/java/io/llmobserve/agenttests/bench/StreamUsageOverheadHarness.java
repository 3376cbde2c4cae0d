package io.llmobserve.agenttests.bench;

import io.llmobserve.agenttests.harness.ForkResult;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import io.llmobserve.testsupport.OtlpReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU per STREAMED openai-java call, the cost of token estimates: this agent with usage reported
 * (include_usage) vs without (the agent counts tokens), and with estimation off ({@code
 * otel.instrumentation.llm.estimate-tokens=false}: no text collected) to show what reported-usage
 * calls pay for it; plus no agent. Variants interleaved, order rotated per round, medians. Not a
 * test. Args (optional): rounds, warm-up calls, measured calls.
 */
public final class StreamUsageOverheadHarness {
  private static final Pattern BENCH =
      Pattern.compile(
          "BENCH cpuNsPerCall=(\\d+) wallNsPerCall=(\\d+) allocBytesPerCall=(\\d+)"
              + " tokenizerLoadCpuNs=(\\d+) tokenizerLoadAllocBytes=(\\d+)"
              + " tokenizerLoadCpuDuringMeasureNs=(\\d+)");

  record Variant(String name, boolean includeUsage, UnaryOperator<ForkedJvm> setup) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 800;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Profile profile =
        Profile.fast().toBuilder()
            .latencyMs(1)
            .ttftMs(0)
            .chunkIntervalMs(0)
            .defaultOutputTokens(48)
            .build();
    try (LlmSimulator sim = LlmSimulator.builder().port(0).seed(42).profile(profile).start();
        OtlpReceiver receiver = new OtlpReceiver()) {
      String endpoints = sim.baseUrl() + "/v1=openai";
      UnaryOperator<ForkedJvm> agent =
          j ->
              j.agentJar(TestPaths.agentJar())
                  .otlpEndpoint(receiver.endpoint())
                  .sysProp("otel.instrumentation.llm.endpoints", endpoints);
      List<Variant> variants =
          List.of(
              new Variant("no agent, include_usage", true, j -> j.agentJar(null)),
              new Variant(REPORTED, true, agent),
              new Variant(
                  "agent, include_usage, estimate-tokens=false",
                  true,
                  j -> agent.apply(j).sysProp("otel.instrumentation.llm.estimate-tokens", "false")),
              new Variant("agent, no include_usage (estimated)", false, agent));
      Map<String, List<long[]>> samples = new LinkedHashMap<>();
      variants.forEach(v -> samples.put(v.name(), new ArrayList<>()));
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < variants.size(); i++) {
          Variant v = variants.get((i + round) % variants.size());
          ForkedJvm jvm =
              ForkedJvm.main(StreamOverheadApp.class)
                  .serviceName("stream-overhead")
                  .fastStartup(false)
                  .jvmArg("-Xmx512m")
                  .args(
                      sim.baseUrl(),
                      String.valueOf(warmup),
                      String.valueOf(calls),
                      String.valueOf(v.includeUsage()))
                  .timeout(Duration.ofMinutes(10));
          ForkResult r = v.setup().apply(jvm).run();
          Matcher m = BENCH.matcher(r.stdout());
          if (r.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException(v.name() + " failed: " + r.describe());
          }
          long[] sample = new long[6];
          for (int g = 0; g < sample.length; g++) {
            sample[g] = Long.parseLong(m.group(g + 1));
          }
          sample[5] = round;
          samples.get(v.name()).add(sample);
          System.out.printf(
              "round %d  %-46s cpu/call %7.1f us   wall/call %7.1f us   alloc/call %6.1f KB"
                  + "   tokenizer load: cpu %6.0f ms, alloc %5.1f MB%n",
              round + 1,
              v.name(),
              sample[0] / 1e3,
              sample[1] / 1e3,
              sample[2] / 1024.0,
              sample[3] / 1e6,
              sample[4] / (1024.0 * 1024));
        }
      }
      List<long[]> reported = samples.get(REPORTED);
      System.out.printf(
          "%nmedian of %d rounds, %d warm-up + %d measured streamed calls per JVM; per-call figures"
              + " exclude the one-time tokenizer load (waited for before measuring, shown"
              + " apart); ratios per round, median [min..max]%n",
          rounds, warmup, calls);
      System.out.printf(
          "%-46s %11s %26s %12s %26s %14s %14s%n",
          "variant",
          "cpu us/call",
          "cpu x agent+reported",
          "alloc KB/call",
          "alloc x agent+reported",
          "load cpu ms",
          "load alloc MB");
      samples.forEach(
          (name, s) -> {
            double[] cpu = ratios(s, reported, 0);
            double[] alloc = ratios(s, reported, 2);
            System.out.printf(
                "%-46s %11.1f %9.3f [%5.3f..%5.3f] %12.1f %9.3f [%5.3f..%5.3f] %14.0f %14.1f%n",
                name,
                median(s, 0) / 1e3,
                median(cpu),
                min(cpu),
                max(cpu),
                median(s, 2) / 1024.0,
                median(alloc),
                min(alloc),
                max(alloc),
                median(s, 3) / 1e6,
                median(s, 4) / (1024.0 * 1024));
          });
    }
  }

  private static final String REPORTED = "agent, include_usage (reported)";

  /** a/b per round (index 5 holds the round). */
  private static double[] ratios(List<long[]> a, List<long[]> b, int idx) {
    List<Double> r = new ArrayList<>();
    for (long[] x : a) {
      for (long[] y : b) {
        if (x[5] == y[5] && y[idx] > 0) {
          r.add((double) x[idx] / y[idx]);
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
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  private static double min(double[] v) {
    return java.util.Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElse(Double.NaN);
  }

  private static double median(List<long[]> s, int idx) {
    long[] v = s.stream().mapToLong(a -> a[idx]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }
}
