package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.SpanExpectations;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.agenttests.scenarios.OkHttp5Scenario;
import io.llmobserve.simulator.Exchange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw OkHttp 5 (execute, enqueue; JSON and SSE) on a classpath without OkHttp 4. */
class OkHttp5AgentTest extends AgentRunContract {

  @Override
  AgentRun startRun() throws Exception {
    return AgentRun.start(
        OkHttp5Scenario.class, TestPaths.okHttp5Classpath(), "agent-tests-okhttp5");
  }

  /** Ours replaces upstream's HTTP span on OkHttp 5 as on OkHttp 4. */
  @Override
  SpanExpectations.Where where(Exchange ex) {
    return SpanExpectations.LOCAL_REPLACED;
  }

  @Override
  List<String> nonCallLabels() {
    return List.of("okhttp.version");
  }

  @Test
  void theForkReallyRanOkHttp5() {
    assertThat(run.fork.resultsByLabel().get("okhttp.version").get("okhttp"))
        .as(run.fork.describe())
        .startsWith("5.");
  }
}
