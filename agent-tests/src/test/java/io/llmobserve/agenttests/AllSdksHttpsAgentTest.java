package io.llmobserve.agenttests;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.agenttests.scenarios.AllSdksScenario;
import io.llmobserve.testsupport.SelfSignedKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link AllSdksAgentTest}'s scenario and checks over HTTPS, as hosted providers are called: the
 * simulator serves TLS with a fresh self-signed certificate the app JVM trusts (OkHttp under
 * openai-java and anthropic-java, the JDK client under langchain4j and raw). The agent reads the
 * same plain bytes the app does, above the TLS layer.
 */
class AllSdksHttpsAgentTest extends AllSdksAgentTest {

  @Override
  AgentRun startRun() throws Exception {
    Path store = SelfSignedKeyStore.create(Files.createTempDirectory("llm-agent-tests-tls"));
    return AgentRun.start(
        AllSdksScenario.class,
        TestPaths.forkClasspath(),
        "agent-tests-sdks-https",
        SimulatorFixture.start(false, store),
        jvm -> jvm.trustStore(store));
  }
}
