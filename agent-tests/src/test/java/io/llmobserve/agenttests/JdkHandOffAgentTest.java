package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ForkResult;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.scenarios.JdkHandOffScenario;
import io.llmobserve.testsupport.ExportedSpan;
import io.llmobserve.testsupport.OtlpReceiver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's tee around the app's JDK body subscriber keeps the client's fast path: the client
 * hands no more tasks to its executor per LLM call than without the agent
 * (TrustedSubscriberInstrumentation). Without it every call took one more hand-off (5.0 against 4.0
 * per chat call on 2026-12-07): a pool thread woken and parked again.
 */
class JdkHandOffAgentTest {

  @Test
  void anObservedLlmCallTakesNoMoreExecutorHandOffsThanWithoutTheAgent() throws Exception {
    try (SimulatorFixture sim = SimulatorFixture.start();
        OtlpReceiver receiver = new OtlpReceiver()) {
      ScenarioResult without =
          handOffs(sim, ForkedJvm.main(JdkHandOffScenario.class).agentJar(null));
      ScenarioResult with =
          handOffs(
              sim,
              AgentRun.configure(ForkedJvm.main(JdkHandOffScenario.class), sim)
                  .serviceName("agent-tests-handoffs")
                  .otlpEndpoint(receiver.endpoint()));

      // the calls were observed: one LLM span per call of the agent's run (2 x 45)
      List<ExportedSpan> spans =
          receiver.awaitSpans(
              s -> s.stream().filter(ExportedSpan::isGenAiClient).count() >= 90,
              Duration.ofSeconds(20));
      assertThat(spans.stream().filter(ExportedSpan::isGenAiClient).count()).isEqualTo(90);
      // the tee's extra hand-off was one whole task per call, on chat and stream alike. A stream's
      // count also moves with the pacing of its chunks (12-13 tasks per call here), so the
      // assertion is on chat, whose count is the client's fixed sequence (4.0 without the agent)
      assertThat(Double.parseDouble(with.get("chat")))
          .as("chat tasks per call, with the agent " + with + ", without " + without)
          .isLessThanOrEqualTo(Double.parseDouble(without.get("chat")) + 0.5);
    }
  }

  private static ScenarioResult handOffs(SimulatorFixture sim, ForkedJvm jvm) throws Exception {
    ForkResult fork = jvm.args(sim.baseUrl()).timeout(Duration.ofSeconds(120)).run();
    assertThat(fork.exitCode()).as(fork.describe()).isZero();
    assertThat(fork.results()).as(fork.describe()).hasSize(1);
    return fork.results().get(0);
  }
}
