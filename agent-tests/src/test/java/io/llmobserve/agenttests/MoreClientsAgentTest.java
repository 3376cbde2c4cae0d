package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.agenttests.scenarios.MoreClientsScenario;
import io.llmobserve.simulator.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Apache HttpClient 5 (classic and async), Apache HttpClient 4 and HttpURLConnection, raw and
 * under the SDKs that use them, all in one JVM with the agent attached.
 */
class MoreClientsAgentTest extends AgentRunContract {

  @Override
  AgentRun startRun() throws Exception {
    return AgentRun.start(MoreClientsScenario.class, TestPaths.forkClasspath(), "agent-tests-more-clients");
  }

  @Test
  void requestBodiesReachedTheServerByteForByte() {
    for (ScenarioResult r : callResults()) {
      if (r.get("requestSha256") == null) {
        continue;
      }
      Exchange ex = run.sim.exchangesLabelled(r.label()).get(0);
      assertThat(ex.requestBodySha256()).as(r.label() + " request body as sent by the app")
          .isEqualTo(r.get("requestSha256"));
    }
  }

  @Test
  void everyClientFamilyRan() {
    assertThat(callResults()).extracting(ScenarioResult::label).contains(
        "hc5.execute", "hc5.handler.stream", "hc5.async.simple", "hc5.async.stream",
        "hc4.execute", "hc4.handler.stream", "huc.json", "huc.stream");
  }
}
