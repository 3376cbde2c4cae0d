package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.AppResultExpectations;
import io.llmobserve.agenttests.harness.ForkResult;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.scenarios.JdkHttpClientScenario;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.testsupport.Ports;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With nobody listening on the OTLP endpoint, the app works exactly as before and in time. */
class OtlpEndpointDownTest {

  @Test
  void appIsUnaffectedWhenTheExporterCannotConnect() throws Exception {
    int closedPort = Ports.freeLoopbackPort(); // bound then released: connection refused
    try (SimulatorFixture sim = SimulatorFixture.start()) {
      ForkResult fork =
          AgentRun.configure(ForkedJvm.main(JdkHttpClientScenario.class), sim)
              .serviceName("agent-tests-otlp-down")
              .otlpEndpoint("http://127.0.0.1:" + closedPort)
              .args(sim.baseUrl())
              .timeout(Duration.ofSeconds(120))
              .run();

      assertThat(fork.exitCode()).as(fork.describe()).isZero();
      List<ScenarioResult> results = fork.results();
      assertThat(results)
          .as(fork.describe())
          .hasSizeGreaterThanOrEqualTo(10)
          .noneMatch(ScenarioResult::failed);
      for (ScenarioResult r : results) {
        List<Exchange> ex = sim.exchangesLabelled(r.label());
        assertThat(ex).as(r.label()).hasSize(1);
        AppResultExpectations.assertAppSawSameResponse(r, ex.get(0));
        // A call that waited on the exporter would wait out its 10 s export timeout; simulated
        // calls take well under a second, so this bound holds on a loaded machine too.
        assertThat(Long.parseLong(r.get("millis"))).as("call time of " + r).isLessThan(10_000);
      }
      // The JVM's exit (exporter shutdown included) is bounded by the fork's timeout above: an
      // exporter that kept retrying an unreachable collector would keep the app alive past it.
    }
  }
}
