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
      Pattern.compile("BENCH cpuNsPerCall=(\\d+) wallNsPerCall=(\\d+)");

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
              new Variant("agent, include_usage (reported)", true, agent),
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
                  .timeout(Duration.ofMinutes(5));
          ForkResult r = v.setup().apply(jvm).run();
          Matcher m = BENCH.matcher(r.stdout());
          if (r.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException(v.name() + " failed: " + r.describe());
          }
          samples
              .get(v.name())
              .add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
          System.out.printf(
              "round %d  %-46s cpu/call %7.1f us   wall/call %7.1f us%n",
              round + 1,
              v.name(),
              Long.parseLong(m.group(1)) / 1e3,
              Long.parseLong(m.group(2)) / 1e3);
        }
      }
      double reported = median(samples.get("agent, include_usage (reported)"), 0);
      System.out.printf(
          "%nmedian of %d rounds, %d warm-up + %d measured streamed calls per JVM%n",
          rounds, warmup, calls);
      System.out.printf("%-46s %12s %18s%n", "variant", "cpu us/call", "x agent+reported");
      samples.forEach(
          (name, s) ->
              System.out.printf(
                  "%-46s %12.1f %18.3f%n", name, median(s, 0) / 1e3, median(s, 0) / reported));
    }
  }

  private static double median(List<long[]> s, int idx) {
    long[] v = s.stream().mapToLong(a -> a[idx]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }
}
