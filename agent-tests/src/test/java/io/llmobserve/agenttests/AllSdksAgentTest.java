package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.agenttests.scenarios.AllSdksScenario;
import io.llmobserve.simulator.Exchange;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
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

  private static String attr(HistogramDataPoint p, String key) {
    for (KeyValue kv : p.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }
}
