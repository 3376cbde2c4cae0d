package io.llmobserve.agenttests.bench;

import io.llmobserve.agenttests.harness.ForkResult;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.testsupport.ExportedSpan;
import io.llmobserve.testsupport.OtlpReceiver;
import io.llmobserve.testsupport.SelfSignedKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost of observing an LLM call, measured inside one JVM ({@link TwinApp}): each client's calls
 * on the chat path (observed by the agent) against the same calls on their unobserved twin path
 * (upstream's HTTP span only). Separate JVMs ({@link OverheadHarness}) differ by up to 0.65 to 1.45
 * from one another on the JDK client, because each JIT compiles differently; within one JVM the two
 * sides share the JIT, the pools and the exporter.
 *
 * <p>Two JVMs, one after the other: one with this project's agent ({@code ours}: observed /
 * unobserved = ours / upstream per call), and one with the upstream agent ({@code floor}: both
 * sides are plain HTTP calls to upstream, so its ratio is the method's noise). Prints one line per
 * (client, operation): median CPU and allocation per call of each side, and the median per-slice
 * ratio with its quartiles.
 *
 * <p>Args (all optional): clients (comma-separated, empty = all), operations ({@code chat,stream}),
 * warm-up seconds (90), slices (20), calls per half-slice (200). System properties: {@code
 * llm.agent.jar} / {@code bench.upstream} as for {@link OverheadHarness}, {@code bench.drainMs}
 * (300), {@code bench.tls} (false; true: the simulator serves HTTPS with a fresh self-signed
 * certificate the app JVM trusts, as hosted providers are called), {@code bench.appJvmArgs} (extra
 * JVM flags of both app JVMs, space-separated: e.g. a profiler's {@code -agentpath}), {@code
 * bench.floor} (true; false skips the floor JVM: two builds of the agent compared run after run,
 * with the floor measured once), {@code bench.requireBodyRead} (true; false lets a diagnostic build
 * that reads no body pass the premise check), {@code bench.thinkMicros} (0: idle time after each
 * call, see {@link TwinApp}).
 */
public final class TwinHarness {
  private TwinHarness() {}

  public static void main(String[] args) throws Exception {
    String clients = args.length > 0 ? args[0] : "";
    String ops = args.length > 1 && !args[1].isBlank() ? args[1] : "chat,stream";
    String warmup = args.length > 2 ? args[2] : "90";
    String slices = args.length > 3 ? args[3] : "20";
    String calls = args.length > 4 ? args[4] : "200";
    String drainMs = String.valueOf(Long.getLong("bench.drainMs", 300));
    Path ours = TestPaths.agentJar();
    Path upstream = OverheadHarness.upstreamAgentJar();
    OverheadHarness.requireAgentJars(List.of(ours, upstream));
    LlmSimulator.Builder simulator =
        LlmSimulator.builder().port(0).seed(42).profile(OverheadHarness.simulatorProfile());
    Path tlsStore = null;
    if (Boolean.getBoolean("bench.tls")) {
      tlsStore = SelfSignedKeyStore.create(Files.createTempDirectory("twin-tls"));
      simulator.tls(tlsStore, SelfSignedKeyStore.PASSWORD);
    }
    Map<String, String> out = new LinkedHashMap<>();
    try (LlmSimulator sim = simulator.start();
        OtlpReceiver receiver = new OtlpReceiver()) {
      System.out.println("simulator: " + sim.baseUrl());
      Map<String, Path> variants = new LinkedHashMap<>();
      variants.put("ours", ours);
      if (!"false".equals(System.getProperty("bench.floor"))) {
        variants.put("floor", upstream);
      }
      for (Map.Entry<String, Path> v : variants.entrySet()) {
        ForkedJvm fork =
            ForkedJvm.main(TwinApp.class)
                .serviceName("twin-bench")
                .fastStartup(false)
                .agentJar(v.getValue())
                .otlpEndpoint(receiver.endpoint())
                .sysProp("otel.instrumentation.llm.endpoints", sim.baseUrl() + "/v1=openai")
                // the SDK's default interval: a metric export is a per-interval cost, not per call
                .sysProp("otel.metric.export.interval", "60000")
                .sysProp("bench.thinkMicros", System.getProperty("bench.thinkMicros", "0"))
                .jvmArg("-Xms512m")
                .jvmArg("-Xmx512m")
                .args(sim.baseUrl(), clients, ops, warmup, slices, calls, drainMs)
                .timeout(Duration.ofHours(2));
        if (tlsStore != null) {
          fork.trustStore(tlsStore);
        }
        for (String flag : System.getProperty("bench.appJvmArgs", "").split(" ")) {
          if (!flag.isBlank()) {
            fork.jvmArg(flag);
          }
        }
        ForkResult r = fork.run();
        if (r.exitCode() != 0) {
          throw new IllegalStateException(v.getKey() + " failed: " + r.describe());
        }
        checkTwinsUnobserved(v.getKey(), receiver.spans());
        receiver.clear();
        for (String line : r.stdout().split("\n")) {
          if (line.startsWith("TWIN ")) {
            String[] f = line.substring(5).trim().split("\\s+");
            out.merge(f[0] + " " + f[1], row(v.getKey(), f), (a, b) -> a + "\n" + b);
          }
        }
      }
    }
    System.out.printf(
        "%nper call, one JVM per agent; observed = LLM call as the agent sees it, unobserved = the"
            + " same bytes on a path it does not observe (upstream's HTTP span);%nratio = median of"
            + " the per-slice observed/unobserved ratios [quartiles], then the 95 %% confidence"
            + " interval of that median; floor = the upstream agent on both sides%n");
    System.out.printf(
        "%-20s %-6s %12s %12s %24s %14s %12s %12s %27s %16s%n",
        "client op",
        "agent",
        "cpu obs us",
        "cpu unobs us",
        "cpu ratio",
        "95% CI",
        "alloc obs KB",
        "alloc unobs",
        "alloc ratio",
        "95% CI");
    out.forEach((k, v) -> System.out.println(v.replace("@", String.format("%-20s", k))));
  }

  /** False only to measure a diagnostic build of the agent that reads no body. */
  private static final boolean REQUIRE_BODY_READ =
      !"false".equals(System.getProperty("bench.requireBodyRead"));

  /**
   * The comparison's premise, from what the JVM exported: with our agent, chat-path calls gave LLM
   * spans and twin-path calls gave none (only upstream's HTTP spans); with upstream's, no LLM span
   * at all. A change to the agent's path check that took the twin path for an LLM call would
   * otherwise turn every ratio into a silent 1.0.
   */
  static void checkTwinsUnobserved(String variant, List<ExportedSpan> spans) {
    long llm = 0;
    long llmOnTwin = 0;
    long llmUnread = 0;
    long httpOnTwin = 0;
    for (ExportedSpan s : spans) {
      Object url = s.attr("url.full");
      boolean twin = url != null && url.toString().endsWith(BenchClient.UNOBSERVED_CHAT_PATH);
      if (s.isGenAiClient()) {
        llm++;
        llmOnTwin += twin ? 1 : 0;
        // the response id comes from the body: the agent read the plain bytes (under TLS too)
        llmUnread += s.attr("gen_ai.response.id") == null && REQUIRE_BODY_READ ? 1 : 0;
      } else if (twin) {
        httpOnTwin++;
      }
    }
    boolean ours = "ours".equals(variant);
    if (llmOnTwin > 0 || llmUnread > 0 || httpOnTwin == 0 || (ours ? llm == 0 : llm > 0)) {
      throw new IllegalStateException(
          String.format(
              "%s: twin premise broken: %d LLM spans (%d on the twin path, %d without the"
                  + " response id read from the body), %d HTTP spans on the twin path",
              variant, llm, llmOnTwin, llmUnread, httpOnTwin));
    }
    System.out.printf(
        "%s: %d LLM spans%s, none on the twin path; %d upstream HTTP spans on it%n",
        variant, llm, llm > 0 ? " (each with the response id read from its body)" : "", httpOnTwin);
  }

  private static String row(String agent, String[] f) {
    // f: client op cpu obs unobs ratio q1 q3 alloc obs unobs ratio q1 q3 ci cpuLo cpuHi allocLo
    // allocHi
    return String.format(
        "@ %-6s %12s %12s %24s %14s %12s %12s %27s %16s",
        agent,
        f[3],
        f[4],
        f[5] + " [" + f[6] + ".." + f[7] + "]",
        f[15] + ".." + f[16],
        f[9],
        f[10],
        f[11] + " [" + f[12] + ".." + f[13] + "]",
        f[17] + ".." + f[18]);
  }
}
