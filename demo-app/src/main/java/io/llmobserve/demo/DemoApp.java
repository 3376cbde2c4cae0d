package io.llmobserve.demo;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An app that talks to LLMs the way real services do (openai-java, anthropic-java, langchain4j;
 * OpenAI, two Azure regions, Anthropic; streaming and not), against the simulator. It knows nothing
 * about telemetry: the agent observes it from outside.
 */
@Command(
    name = "llm-demo-app",
    mixinStandardHelpOptions = true,
    description =
        "Sends realistic mixed LLM traffic through real SDKs to the llm-observe simulator.")
public final class DemoApp implements Callable<Integer> {

  @Option(
      names = "--simulator",
      defaultValue = "http://127.0.0.1:8089",
      description = "Simulator base URL (default: ${DEFAULT-VALUE}).")
  String simulator;

  @Option(
      names = "--rps",
      defaultValue = "5",
      description = "Calls started per second (default: ${DEFAULT-VALUE}).")
  double rps;

  @Option(
      names = "--duration",
      description = "How long to run, e.g. 90s, 10m, 1h (default: until stopped).",
      converter = DurationConverter.class)
  Duration duration;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description =
          "Most calls in flight at once; ticks beyond it are skipped and counted (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--max-retries",
      defaultValue = "0",
      description =
          "SDK retries on 429/5xx, as the SDKs do by default in real apps (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  @Option(
      names = "--progress-every",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Interval of the progress line (default: ${DEFAULT-VALUE}).")
  Duration progressEvery;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Seed of the traffic mix (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--no-warmup",
      description =
          "Skip the warm-up (by default the app first makes one short call of each kind, one after "
              + "another: the SDKs build their JSON mappers on first use, seconds under a lock that stalls "
              + "concurrent first calls).")
  boolean noWarmup;

  @Option(names = "--max-calls", description = "Stop after this many calls (default: no limit).")
  Long maxCalls;

  /** Counters of the last run (for tests). */
  Stats lastStats;

  @Override
  public Integer call() throws Exception {
    if (rps <= 0 || concurrency <= 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--rps and --concurrency must be positive");
    }
    String base =
        simulator.endsWith("/") ? simulator.substring(0, simulator.length() - 1) : simulator;
    try (LlmClients clients = new LlmClients(base, maxRetries)) {
      TrafficMix mix = TrafficMix.standard(clients);
      if (!noWarmup) {
        warmUp(mix);
      }
      TrafficRunner runner =
          new TrafficRunner(mix, rps, concurrency, seed, progressEvery, maxCalls);
      Stats stats = runner.run(duration);
      lastStats = stats;
      System.out.println("[demo] finished: " + stats.summary());
      return 0;
    }
  }

  private static void warmUp(TrafficMix mix) {
    System.out.println(
        "[demo] warm-up: one short call of each of " + mix.entries().size() + " kinds ...");
    long start = System.nanoTime();
    int failed = 0;
    for (TrafficMix.Entry e : mix.entries()) {
      try {
        e.workload().call(new TrafficMix.Ask("Say hi.", 8));
      } catch (Exception ex) {
        failed++;
        System.out.println(ErrorLine.describe(e.name() + " (warm-up)", ex));
      }
    }
    System.out.printf(
        "[demo] warm-up done: %d calls in %.1fs (%d failed)%n",
        mix.entries().size(), (System.nanoTime() - start) / 1e9, failed);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new DemoApp()).execute(args);
    System.exit(code);
  }
}
