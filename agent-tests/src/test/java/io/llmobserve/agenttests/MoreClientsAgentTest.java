package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.agenttests.scenarios.BedrockSdkScenario;
import io.llmobserve.agenttests.scenarios.GoogleGenAiScenario;
import io.llmobserve.agenttests.scenarios.MoreClientsScenario;
import io.llmobserve.agenttests.scenarios.Results;
import io.llmobserve.simulator.Exchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Apache HttpClient 5 (classic and async), Apache HttpClient 4 and HttpURLConnection, raw and under
 * the SDKs that use them, all in one JVM with the agent attached.
 */
class MoreClientsAgentTest extends AgentRunContract {

  /** The real provider host names the SDKs are pointed at, all resolved to the simulator. */
  static final String HOSTS =
      "127.0.0.1 localhost " + BedrockSdkScenario.HOST + " " + GoogleGenAiScenario.HOST + "\n";

  @Override
  AgentRun startRun() throws Exception {
    Path hosts = Files.createTempFile("llm-agent-tests-hosts", ".txt");
    Files.writeString(hosts, HOSTS);
    hosts.toFile().deleteOnExit();
    return AgentRun.start(
        MoreClientsScenario.class,
        TestPaths.forkClasspath(),
        "agent-tests-more-clients",
        jvm ->
            jvm.sysProp("jdk.net.hosts.file", hosts.toString())
                // many SDKs start in this one JVM: allow for a loaded machine
                .timeout(Duration.ofSeconds(300)));
  }

  @Override
  List<String> secrets() {
    List<String> all = new ArrayList<>(super.secrets());
    all.addAll(
        List.of(
            GoogleGenAiScenario.API_KEY,
            BedrockSdkScenario.SECRET_KEY,
            BedrockSdkScenario.ACCESS_KEY));
    return all;
  }

  @Test
  void requestBodiesReachedTheServerByteForByte() {
    for (ScenarioResult r : callResults()) {
      if (r.get("requestSha256") == null) {
        continue;
      }
      Exchange ex = run.sim.exchangesLabelled(r.label()).get(0);
      assertThat(ex.requestBodySha256())
          .as(r.label() + " request body as sent by the app")
          .isEqualTo(r.get("requestSha256"));
      if (r.get("authorizationSha256") != null) { // SigV4: the signed header arrived unchanged
        assertThat(
                Results.sha256(
                    ex.requestHeaders().get("authorization").getBytes(StandardCharsets.UTF_8)))
            .as(r.label() + " Authorization (SigV4) as signed by the SDK")
            .isEqualTo(r.get("authorizationSha256"));
      }
    }
  }

  @Test
  void everyClientFamilyRan() {
    assertThat(callResults())
        .extracting(ScenarioResult::label)
        .contains(
            "hc5.execute",
            "hc5.handler.stream",
            "hc5.async.simple",
            "hc5.async.stream",
            "hc4.execute",
            "hc4.handler.stream",
            "huc.json",
            "huc.stream",
            "spring.restclient.hc5.stream",
            "spring.restclient.jdk",
            "spring.resttemplate.huc",
            "bedrock.apache4.converse",
            "bedrock.apache5.invoke",
            "bedrock.urlconnection.converse",
            "genai.generate",
            "genai.stream",
            "lc4j.anthropic.stream",
            "lc4j.gemini.chat",
            "lc4j.ollama.chat",
            "lc4j.bedrock.chat");
  }
}
