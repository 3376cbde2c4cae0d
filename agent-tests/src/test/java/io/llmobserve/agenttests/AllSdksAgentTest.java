package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.SpanExpectations;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.agenttests.scenarios.AllSdksScenario;
import io.llmobserve.agenttests.scenarios.JdkHttpClientScenario;
import io.llmobserve.agenttests.scenarios.Results;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.testsupport.ExportedSpan;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * openai-java 4.x, anthropic-java 3.x, langchain4j-open-ai 1.x and the raw JDK HttpClient, all in
 * one JVM with the agent attached (one agent start for the lot).
 */
class AllSdksAgentTest extends AgentRunContract {

  @Override
  AgentRun startRun() throws Exception {
    return AgentRun.start(AllSdksScenario.class, TestPaths.forkClasspath(), "agent-tests-sdks");
  }

  /**
   * The raw JDK calls and langchain4j's (its default HTTP client is the JDK's): ours is the only
   * client span; openai-java and anthropic-java (OkHttp): upstream's HTTP span below ours.
   */
  @Override
  SpanExpectations.Where where(Exchange ex) {
    String label = ex.requestHeaders().get(Results.CALL_HEADER);
    // the JDK client (raw, langchain4j) and OkHttp (openai-java, anthropic-java, their Azure
    // setups): ours replaces upstream's HTTP span everywhere in this scenario
    return label != null
            && (label.startsWith("jdk.")
                || label.startsWith("langchain4j.")
                || label.startsWith("openai.")
                || label.startsWith("anthropic."))
        ? SpanExpectations.LOCAL_REPLACED
        : SpanExpectations.LOCAL;
  }

  /**
   * No context leak: sendAsync's future completes in the app's context (our span, stored as the
   * HTTP client span while the client sends, never reaches the app's stages), so a non-LLM call
   * made in a stage of an async LLM call keeps its upstream HTTP span, under the app's span around
   * the call (as with upstream alone, whose instrumentation completed the future in the caller's
   * context).
   */
  @Test
  void aNonLlmCallInAnAsyncLlmCallsStageKeepsItsUpstreamHttpSpan() {
    List<ExportedSpan> spans =
        run.receiver.awaitSpans(
            all ->
                all.stream().anyMatch(AllSdksAgentTest::isCallInStage)
                    && all.stream().anyMatch(s -> s.name().equals(JdkHttpClientScenario.APP_SPAN)),
            Duration.ofSeconds(20));
    List<ExportedSpan> inStage = spans.stream().filter(AllSdksAgentTest::isCallInStage).toList();
    assertThat(inStage).as("upstream's HTTP span of the call made in the stage").hasSize(1);
    ExportedSpan http = inStage.get(0);
    assertThat(http.scope().getName()).isEqualTo("io.opentelemetry.java-http-client");
    assertThat(http.kind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
    List<ExportedSpan> appSpans =
        spans.stream().filter(s -> s.name().equals(JdkHttpClientScenario.APP_SPAN)).toList();
    assertThat(appSpans).as("the app's span around the call").hasSize(1);
    assertThat(http.parentSpanId())
        .as("the stage's HTTP span is a child of the app's span")
        .isEqualTo(appSpans.get(0).spanId());
    assertThat(http.attributes()).doesNotContainKey("gen_ai.provider.name");
  }

  private static boolean isCallInStage(ExportedSpan s) {
    return String.valueOf(s.attr("url.full")).contains("after=jdk.h2.sendAsync");
  }

  @Test
  void everyScenarioFamilyRan() {
    assertThat(callResults())
        .extracting(ScenarioResult::label)
        .contains(
            "openai.chat.sync",
            "openai.chat.stream",
            "openai.chat.async",
            "openai.responses.stream",
            "anthropic.sync",
            "anthropic.stream",
            "langchain4j.chat",
            "langchain4j.stream",
            "jdk.h1.send",
            "jdk.h2.sendAsync",
            "jdk.azure.eastus2",
            "jdk.gzip",
            "jdk.error500",
            "jdk.throttled429");
    assertThat(run.sim.exchanges())
        .extracting(Exchange::httpVersion)
        .contains("HTTP/1.1", "HTTP/2.0");
    assertThat(run.sim.exchanges()).extracting(Exchange::status).contains(200, 429, 500);
  }

  @Test
  void agentMetricsAgreeWithTheGroundTruth() {
    List<Exchange> ok = run.sim.exchanges().stream().filter(e -> e.status() < 400).toList();
    long outputTokens = ok.stream().mapToLong(Exchange::outputTokens).sum();
    long streams = ok.stream().filter(Exchange::stream).count();

    Metric usage = lastMetric("gen_ai.client.token.usage");
    double exportedOutput =
        usage.getHistogram().getDataPointsList().stream()
            .filter(p -> "output".equals(attr(p, "gen_ai.token.type")))
            .mapToDouble(HistogramDataPoint::getSum)
            .sum();
    assertThat(exportedOutput).as("output tokens in " + usage).isEqualTo((double) outputTokens);

    Metric duration = lastMetric("gen_ai.client.operation.duration");
    long calls =
        duration.getHistogram().getDataPointsList().stream()
            .mapToLong(HistogramDataPoint::getCount)
            .sum();
    assertThat(calls)
        .as("operation.duration count " + duration)
        .isEqualTo(run.sim.exchanges().size());

    Metric ttft = lastMetric("gen_ai.client.operation.time_to_first_chunk");
    long firstChunks =
        ttft.getHistogram().getDataPointsList().stream()
            .mapToLong(HistogramDataPoint::getCount)
            .sum();
    assertThat(firstChunks).as("time_to_first_chunk count " + ttft).isEqualTo(streams);
  }

  private Metric lastMetric(String name) {
    List<Metric> all =
        run.receiver.metrics().stream().filter(m -> m.getName().equals(name)).toList();
    assertThat(all)
        .as(
            "metric "
                + name
                + " exported; got "
                + run.receiver.metrics().stream().map(Metric::getName).distinct().toList())
        .isNotEmpty();
    return all.get(all.size() - 1);
  }
}
