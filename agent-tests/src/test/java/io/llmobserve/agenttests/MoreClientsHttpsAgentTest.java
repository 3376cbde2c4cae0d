package io.llmobserve.agenttests;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.scenarios.BedrockSdkScenario;
import io.llmobserve.agenttests.scenarios.GoogleGenAiScenario;
import io.llmobserve.testsupport.SelfSignedKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link MoreClientsAgentTest}'s scenario and checks over HTTPS, as hosted providers are called:
 * Apache HttpClient 4/5, HttpURLConnection (an {@code HttpsURLConnection}), Spring's clients, the
 * AWS SDK on its three HTTP clients, the Google GenAI SDK and langchain4j's providers, against a
 * simulator serving TLS with a fresh certificate for the provider hosts that the app JVM trusts.
 */
class MoreClientsHttpsAgentTest extends MoreClientsAgentTest {

  @Override
  AgentRun startRun() throws Exception {
    Path store =
        SelfSignedKeyStore.create(
            Files.createTempDirectory("llm-agent-tests-tls"),
            BedrockSdkScenario.HOST,
            GoogleGenAiScenario.HOST);
    return startRun(
        SimulatorFixture.start(false, store),
        "agent-tests-more-clients-https",
        jvm -> jvm.trustStore(store));
  }
}
