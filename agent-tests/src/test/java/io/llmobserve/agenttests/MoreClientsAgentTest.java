package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.harness.SpanExpectations;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.agenttests.scenarios.BedrockSdkScenario;
import io.llmobserve.agenttests.scenarios.GoogleGenAiScenario;
import io.llmobserve.agenttests.scenarios.MoreClientsScenario;
import io.llmobserve.agenttests.scenarios.Results;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.testsupport.ExportedSpan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
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
    return startRun(SimulatorFixture.start(), "agent-tests-more-clients", jvm -> jvm);
  }

  /** The scenario against {@code sim}, with the provider hosts resolved to it. */
  static AgentRun startRun(SimulatorFixture sim, String service, UnaryOperator<ForkedJvm> extra)
      throws Exception {
    Path hosts = Files.createTempFile("llm-agent-tests-hosts", ".txt");
    Files.writeString(hosts, HOSTS);
    hosts.toFile().deleteOnExit();
    return AgentRun.start(
        MoreClientsScenario.class,
        TestPaths.forkClasspath(),
        service,
        sim,
        jvm ->
            extra.apply(
                jvm.sysProp("jdk.net.hosts.file", hosts.toString())
                    // many SDKs start in this one JVM: allow for a loaded machine
                    .timeout(Duration.ofSeconds(300))));
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

  /**
   * An app's own async request producer is seen only when it sends its request, after upstream's
   * HTTP span took its parent at execute: that span is a sibling of ours, not a child. On the JDK
   * client, Apache HttpClient 4/5 (classic, and async with the client's own request producers),
   * HttpURLConnection and OkHttp ours replaces upstream's HTTP span (and writes the traceparent
   * upstream would have).
   */
  @Override
  SpanExpectations.Where where(Exchange ex) {
    String label = ex.requestHeaders().get(Results.CALL_HEADER);
    if (label != null && label.startsWith("hc5.async.") && label.endsWith("Producer")) {
      return SpanExpectations.LOCAL.withHttpSpan(SpanExpectations.HttpSpan.UNCHECKED);
    }
    return label != null && replacesHttpSpan(label)
        ? SpanExpectations.LOCAL_REPLACED
        : SpanExpectations.LOCAL;
  }

  /**
   * The JDK HttpClient (Spring's JdkClientHttpRequestFactory, langchain4j's default client), Apache
   * HttpClient 4/5 (also under Spring's HttpComponentsClientHttpRequestFactory; HC5 async with the
   * client's own producers, the app's own are the producer cases above), HttpURLConnection and
   * OkHttp (google-genai); not under the AWS SDK's span, which is the HTTP client span there.
   */
  private static boolean replacesHttpSpan(String label) {
    return label.startsWith("spring.restclient.jdk")
        || label.matches("spring\\.(restclient|resttemplate)\\.(hc5|huc).*")
        || label.startsWith("hc5.")
        || label.startsWith("hc4.")
        || label.startsWith("huc")
        || label.startsWith("genai.")
        || (label.startsWith("lc4j.") && !label.startsWith("lc4j.bedrock."));
  }

  /**
   * HttpURLConnection's error bodies are read (when the app reads getErrorStream, and ahead of it
   * when the app looks at the status only): the provider's error type is on the span.
   */
  @Test
  void httpUrlConnectionErrorsCarryTheProvidersErrorType() {
    List<ExportedSpan> llmSpans = run.genAiClientSpans();
    List<String> checked = new ArrayList<>();
    for (ScenarioResult r : callResults()) {
      if (!r.label().startsWith("huc.") || Integer.parseInt(r.get("status")) < 400) {
        continue;
      }
      Exchange ex = run.sim.exchangesLabelled(r.label()).get(0);
      List<ExportedSpan> spans = SpanExpectations.spansFor(ex, llmSpans);
      assertThat(spans).as(r.label()).hasSize(1);
      assertThat(ex.errorType()).as(r.label() + " simulator's error type").isNotNull();
      assertThat(spans.get(0).attr("llm.error.type"))
          .as(r.label() + " llm.error.type")
          .isEqualTo(ex.errorType());
      checked.add(r.label());
    }
    assertThat(checked)
        .containsExactlyInAnyOrder(
            "huc.throttled429", "huc.throttled429.inputStream", "huc.error500.unread");
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
            "hc5.async.customProducer",
            "hc5.async.wrappedProducer",
            "hc4.execute",
            "hc4.handler.stream",
            "huc.json",
            "huc.stream",
            "huc.throttled429",
            "huc.throttled429.inputStream",
            "huc.error500.unread",
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
