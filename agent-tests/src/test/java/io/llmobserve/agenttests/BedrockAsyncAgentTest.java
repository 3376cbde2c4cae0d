package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.SpanExpectations;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.testsupport.ExportedSpan;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AWS SDK v2 Bedrock runtime async client on netty-nio-client (agent-tests/aws-apps, Netty
 * 4.1), HTTP/1.1 and HTTP/2, against the simulator's Bedrock routes under the real regional host
 * name: a hosts file (jdk.net.hosts.file) maps bedrock-runtime.us-east-1.amazonaws.com to
 * 127.0.0.1, so the SDK signs and sends exactly what it would send to AWS.
 */
class BedrockAsyncAgentTest extends AgentRunContract {
  static final String HOST = "bedrock-runtime.us-east-1.amazonaws.com";
  static final SpanExpectations.Where BEDROCK_US_EAST_1 =
      new SpanExpectations.Where(HOST, "us-east-1", "aws", SpanExpectations.HttpSpan.NONE);

  @Override
  AgentRun startRun() throws Exception {
    Path hosts = Path.of("target", "bedrock-hosts").toAbsolutePath();
    Files.createDirectories(hosts.getParent());
    Files.writeString(
        hosts,
        "127.0.0.1 "
            + HOST
            + "\n127.0.0.1 localhost\n127.0.0.1 "
            + InetAddress.getLocalHost().getHostName()
            + "\n");
    return AgentRun.start(
        "io.llmobserve.agenttests.aws.BedrockAsyncScenario",
        TestPaths.appsClasspath("aws-apps"),
        "agent-tests-bedrock-async",
        (jvm, sim) ->
            jvm.sysProp("jdk.net.hosts.file", hosts.toString())
                .sysProp("aws.region", "us-east-1")
                .replaceArgs(String.valueOf(sim.port())));
  }

  @Override
  List<String> nonCallLabels() {
    return List.of("aws.version");
  }

  @Override
  List<String> extraSecrets() {
    return List.of("fakeSecretKey/SECRET-aws-0123456789abcdef");
  }

  @Override
  SpanExpectations.Where where(Exchange ex) {
    return BEDROCK_US_EAST_1;
  }

  @Test
  void theForkRanTheAwsSdk2591OverBothProtocols() {
    assertThat(run.fork.resultsByLabel().get("aws.version").get("sdk"))
        .as(run.fork.describe())
        .isEqualTo("2.59.1");
    assertThat(callResults())
        .extracting(ScenarioResult::label)
        .contains(
            "bedrock.h1.converse",
            "bedrock.h1.converseStream",
            "bedrock.h1.invoke",
            "bedrock.h1.invokeStream",
            "bedrock.h2.converse",
            "bedrock.h2.converseStream",
            "bedrock.h2.invokeStream");
    assertThat(run.sim.exchanges())
        .extracting(Exchange::httpVersion)
        .contains("HTTP/1.1", "HTTP/2.0");
  }

  /**
   * Each call's span joins the app's trace under the upstream AWS SDK instrumentation's span,
   * although the async client writes the request on an event loop that carries no context: that
   * instrumentation propagates its span in X-Ray's format only (X-Amzn-Trace-Id), and the agent's
   * Netty hook reads it.
   */
  @Test
  void eachCallIsAChildOfTheAwsSdkSpanInTheSameTrace() {
    List<ExportedSpan> all = run.receiver.spans();
    List<ExportedSpan> ours =
        run.genAiClientSpans().stream()
            .filter(s -> s.scope().getName().equals("io.llmobserve.agent"))
            .toList();
    assertThat(ours).hasSameSizeAs(run.sim.exchanges());
    for (ExportedSpan llm : ours) {
      List<ExportedSpan> parents =
          all.stream().filter(s -> s.spanId().equals(llm.parentSpanId())).toList();
      assertThat(parents).as("parent of " + llm).hasSize(1);
      assertThat(parents.get(0).scope().getName())
          .as("parent of " + llm)
          .startsWith("io.opentelemetry.aws-sdk-2.2");
      assertThat(parents.get(0).traceId()).as("trace of " + llm).isEqualTo(llm.traceId());
    }
  }

  /**
   * Exactly one gen_ai CLIENT span per call, ours: GenAiClientSpanExporter demotes the upstream AWS
   * SDK instrumentation's own span, which encloses ours, to INTERNAL.
   */
  @Override
  @Test
  void exactlyOneGenAiClientSpanPerCall() {
    List<ExportedSpan> ours =
        run.genAiClientSpans().stream()
            .filter(s -> s.scope().getName().equals("io.llmobserve.agent"))
            .toList();
    assertThat(ours)
        .extracting(s -> s.attr("llm.request.id"))
        .as("ours: one per call")
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            run.sim.exchanges().stream().map(Exchange::requestId).toList());
    assertThat(run.genAiClientSpans()).as("no other gen_ai CLIENT span").hasSameSizeAs(ours);
  }

  @Test
  void sigV4SignedRequestsReachedTheServerIntact() {
    // a changed byte or header would fail the simulator's parse or the SDK's own checks; the
    // request body hash the SDK signed (x-amz-content-sha256) is what the simulator received
    for (Exchange ex : run.sim.exchanges()) {
      assertThat(ex.requestHeaders()).as(ex.path()).containsKey("authorization");
      assertThat(ex.requestHeaders().get("authorization"))
          .as(ex.path())
          .startsWith("AWS4-HMAC-SHA256 ");
      String signedHash = ex.requestHeaders().get("x-amz-content-sha256");
      if (signedHash != null && signedHash.matches("[0-9a-f]{64}")) {
        assertThat(ex.requestBodySha256()).as(ex.path()).isEqualTo(signedHash);
      }
    }
  }
}
