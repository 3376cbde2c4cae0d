package io.llmobserve.agenttests.harness;

import io.llmobserve.testsupport.ExportedSpan;
import io.llmobserve.testsupport.OtlpReceiver;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * One scenario JVM run with the agent attached: a fresh simulator and OTLP receiver, the fork, and
 * everything they recorded. Close it to stop the simulator and the receiver.
 */
public final class AgentRun implements AutoCloseable {
  public final SimulatorFixture sim;
  public final OtlpReceiver receiver;
  public final ForkResult fork;

  private AgentRun(SimulatorFixture sim, OtlpReceiver receiver, ForkResult fork) {
    this.sim = sim;
    this.receiver = receiver;
    this.fork = fork;
  }

  /**
   * Runs {@code main} (args: the simulator base URL) on {@code classpath} with the agent attached.
   */
  public static AgentRun start(Class<?> main, String classpath, String service) throws Exception {
    return start(main.getName(), classpath, service, (jvm, sim) -> jvm);
  }

  /** Same, against a simulator the caller configured. */
  public static AgentRun start(
      Class<?> main, String classpath, String service, SimulatorFixture sim) throws Exception {
    return start(main.getName(), classpath, service, sim, (jvm, s) -> jvm, jvm -> jvm);
  }

  /** Same, against a simulator the caller configured, with extra settings applied last. */
  public static AgentRun start(
      Class<?> main,
      String classpath,
      String service,
      SimulatorFixture sim,
      UnaryOperator<ForkedJvm> extra)
      throws Exception {
    return start(main.getName(), classpath, service, sim, (jvm, s) -> jvm, extra);
  }

  /** Same, with extra settings applied last (system properties, a longer timeout). */
  public static AgentRun start(
      Class<?> main, String classpath, String service, UnaryOperator<ForkedJvm> extra)
      throws Exception {
    return start(
        main.getName(), classpath, service, SimulatorFixture.start(), (jvm, s) -> jvm, extra);
  }

  /** Same, for a main class by name, with extra fork settings that may depend on the simulator. */
  public static AgentRun start(
      String main,
      String classpath,
      String service,
      BiFunction<ForkedJvm, SimulatorFixture, ForkedJvm> extra)
      throws Exception {
    return start(main, classpath, service, SimulatorFixture.start(), extra, jvm -> jvm);
  }

  /** Same, for a main class by name, against a simulator the caller configured. */
  public static AgentRun start(
      String main,
      String classpath,
      String service,
      SimulatorFixture sim,
      BiFunction<ForkedJvm, SimulatorFixture, ForkedJvm> extra)
      throws Exception {
    return start(main, classpath, service, sim, extra, jvm -> jvm);
  }

  private static AgentRun start(
      String main,
      String classpath,
      String service,
      SimulatorFixture sim,
      BiFunction<ForkedJvm, SimulatorFixture, ForkedJvm> extra,
      UnaryOperator<ForkedJvm> last)
      throws Exception {
    // the run owns the simulator and the receiver; a failed start closes them here
    OtlpReceiver receiver = null;
    try {
      receiver = new OtlpReceiver();
      ForkResult fork =
          last.apply(
                  extra
                      .apply(configure(ForkedJvm.main(main), sim), sim)
                      .classpath(classpath)
                      .serviceName(service)
                      .otlpEndpoint(receiver.endpoint())
                      .args(sim.baseUrl())
                      .timeout(Duration.ofSeconds(150)))
              .run();
      // The agent flushes on shutdown, but the receiver may still be decoding the last batch.
      int calls = sim.exchanges().size();
      receiver.awaitSpans(
          spans -> spans.stream().filter(ExportedSpan::isGenAiClient).count() >= calls,
          Duration.ofSeconds(5));
      return new AgentRun(sim, receiver, fork);
    } catch (Exception | Error e) {
      if (receiver != null) {
        receiver.close();
      }
      sim.close();
      throw e;
    }
  }

  /**
   * Declares the simulator's OpenAI routes as OpenAI (127.0.0.1 is not api.openai.com); Azure
   * deployment paths and Anthropic are recognised by path and header.
   */
  public static ForkedJvm configure(ForkedJvm jvm, SimulatorFixture sim) {
    // Not "<base>/v1=openai": a configured base URL claims every path below it, and the
    // simulator serves Anthropic's /v1/messages on the same port.
    return jvm.sysProp(
        "otel.instrumentation.llm.endpoints",
        sim.baseUrl() + "/v1/chat/completions=openai," + sim.baseUrl() + "/v1/responses=openai");
  }

  public List<ExportedSpan> genAiClientSpans() {
    return receiver.spans().stream().filter(ExportedSpan::isGenAiClient).toList();
  }

  @Override
  public void close() {
    receiver.close();
    sim.close();
  }
}
