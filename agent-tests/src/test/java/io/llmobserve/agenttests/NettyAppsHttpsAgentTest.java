package io.llmobserve.agenttests;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.testsupport.SelfSignedKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link NettyAppsAgentTest}'s scenario and checks over HTTPS, as hosted providers are called:
 * Reactor Netty, WebClient, RestClient, Spring AI and azure-ai-openai with Netty's SslHandler in
 * the pipeline. The agent's handler must read the plain bytes above it, not the TLS records.
 */
class NettyAppsHttpsAgentTest extends NettyAppsAgentTest {

  @Override
  AgentRun startRun() throws Exception {
    Path store = SelfSignedKeyStore.create(Files.createTempDirectory("llm-agent-tests-tls"));
    return startRun(
        SimulatorFixture.start(true, store),
        "agent-tests-netty-https",
        jvm -> jvm.trustStore(store));
  }
}
