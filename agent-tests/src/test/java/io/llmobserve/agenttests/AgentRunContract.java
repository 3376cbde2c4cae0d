package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.AppResultExpectations;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.harness.SpanExpectations;
import io.llmobserve.agenttests.scenarios.AnthropicSdkScenario;
import io.llmobserve.agenttests.scenarios.JdkHttpClientScenario;
import io.llmobserve.agenttests.scenarios.OpenAiSdkScenario;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.testsupport.ExportedSpan;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * What must hold for every scenario JVM run with the agent: the app is unaffected, each LLM call
 * has exactly one gen_ai CLIENT span matching the simulator's ground truth, and nothing secret is
 * exported. Subclasses say which scenario runs on which classpath.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgentRunContract {
  static final List<String> SECRETS =
      List.of(
          OpenAiSdkScenario.API_KEY,
          AnthropicSdkScenario.API_KEY,
          JdkHttpClientScenario.URL_KEY_SECRET,
          JdkHttpClientScenario.AZURE_KEY,
          "Bearer ");

  AgentRun run;

  abstract AgentRun startRun() throws Exception;

  /** How the scenario's calls reach the simulator (server address, host region, HTTP span). */
  SpanExpectations.Where where(Exchange ex) {
    return SpanExpectations.LOCAL;
  }

  /** Secrets the scenario sends besides {@link #SECRETS}. */
  List<String> extraSecrets() {
    return List.of();
  }

  /** What must never appear in the exported telemetry. */
  List<String> secrets() {
    return Stream.concat(SECRETS.stream(), extraSecrets().stream()).toList();
  }

  /** Labels of RESULT lines that are not LLM calls (e.g. a version probe). */
  List<String> nonCallLabels() {
    return List.of();
  }

  @BeforeAll
  void start() throws Exception {
    run = startRun();
  }

  @AfterAll
  void stop() {
    if (run != null) {
      run.close();
    }
  }

  /** Calls whose HTTP span ours replaced that never reached the simulator (refused, ...). */
  int replacedCallsTheSimulatorNeverSaw() {
    return 0;
  }

  /** The gen_ai CLIENT spans of the calls the simulator answered (all, unless a test says). */
  List<ExportedSpan> answeredCallSpans() {
    return run.genAiClientSpans();
  }

  List<ScenarioResult> callResults() {
    return run.fork.results().stream().filter(r -> !nonCallLabels().contains(r.label())).toList();
  }

  @Test
  void scenarioJvmRunsToTheEndUnharmed() {
    assertThat(run.fork.exitCode()).as(run.fork.describe()).isZero();
    assertThat(run.fork.stdout()).as(run.fork.describe()).contains("DONE");
    assertThat(callResults())
        .as(run.fork.describe())
        .isNotEmpty()
        .noneMatch(ScenarioResult::failed);
    assertThat(run.sim.exchanges())
        .as("every call reached the simulator exactly once")
        .hasSize(callResults().size());
  }

  @Test
  void exactlyOneGenAiClientSpanPerCall() {
    List<ExportedSpan> spans = answeredCallSpans();
    Map<Object, Long> perRequestId =
        spans.stream()
            .collect(Collectors.groupingBy(SpanExpectations::callKey, Collectors.counting()));
    assertThat(perRequestId.values())
        .as("duplicates per llm.request.id: " + spans)
        .allMatch(n -> n == 1);
    assertThat(spans)
        .as("gen_ai CLIENT spans vs simulator exchanges " + run.sim.exchanges())
        .hasSize(run.sim.exchanges().size());
  }

  @TestFactory
  Stream<DynamicTest> eachCallMatchesTheSimulatorsGroundTruth() {
    List<ExportedSpan> all = run.receiver.spans();
    List<ExportedSpan> llmSpans = answeredCallSpans();
    return callResults().stream()
        .map(
            result ->
                dynamicTest(
                    result.label(),
                    () -> {
                      List<Exchange> exchanges = run.sim.exchangesLabelled(result.label());
                      assertThat(exchanges)
                          .as("simulator exchanges labelled " + result.label())
                          .hasSize(1);
                      Exchange ex = exchanges.get(0);
                      AppResultExpectations.assertAppSawSameResponse(result, ex);
                      List<ExportedSpan> spans = SpanExpectations.spansFor(ex, llmSpans);
                      assertThat(spans)
                          .as(
                              "gen_ai CLIENT spans with llm.request.id="
                                  + ex.requestId()
                                  + " among "
                                  + llmSpans)
                          .hasSize(1);
                      SpanExpectations.assertMatches(
                          spans.get(0), ex, run.sim.port(), all, where(ex));
                      assertRequestParameters(result.label(), ex, spans.get(0));
                    }));
  }

  /**
   * gen_ai.request.max_tokens / temperature, for the calls whose request bodies the scenarios fix.
   */
  static void assertRequestParameters(String label, Exchange ex, ExportedSpan span) {
    boolean rawChat =
        (label.startsWith("jdk.")
                || label.startsWith("okhttp.")
                || label.startsWith("hc5.")
                || label.startsWith("hc4.")
                || label.startsWith("huc."))
            && "chat".equals(ex.operation())
            && !ex.provider().equals("anthropic");
    if (rawChat) { // JdkHttpClientScenario.chatBody
      assertThat(span.attr("gen_ai.request.max_tokens")).as(label + " max_tokens").isEqualTo(40L);
      assertThat(span.attr("gen_ai.request.temperature")).as(label + " temperature").isEqualTo(0.2);
    } else if (label.startsWith("anthropic.")) { // AnthropicSdkScenario.params
      assertThat(span.attr("gen_ai.request.max_tokens")).as(label + " max_tokens").isEqualTo(128L);
    } else if (label.startsWith(
        "openai.chat.")) { // max_completion_tokens in OpenAiSdkScenario.chat
      assertThat(span.attr("gen_ai.request.max_tokens"))
          .as(label + " max_completion_tokens")
          .isEqualTo(64L);
    }
  }

  /**
   * Upstream's http.client.request.duration still counts the LLM calls whose HTTP span ours
   * replaced (recorded under our scope, with the metric's HTTP semconv attributes and the error
   * status), and only those: where upstream's span stays, upstream records it.
   */
  @Test
  void httpClientDurationCountsExactlyTheCallsWhoseHttpSpanOursReplaced() {
    List<Exchange> replaced =
        run.sim.exchanges().stream()
            .filter(e -> where(e).httpSpan() == SpanExpectations.HttpSpan.REPLACED)
            .toList();
    List<Metric> ours =
        run.receiver.metricsOfScope("io.llmobserve.agent").stream()
            .filter(m -> m.getName().equals("http.client.request.duration"))
            .toList();
    if (replaced.isEmpty()) {
      assertThat(ours).as("http.client.request.duration under our scope").isEmpty();
      return;
    }
    assertThat(ours).as("http.client.request.duration under our scope").isNotEmpty();
    Metric last = ours.get(ours.size() - 1);
    assertThat(
            last.getHistogram().getDataPointsList().stream()
                .mapToLong(HistogramDataPoint::getCount)
                .sum())
        .as("calls counted in " + last)
        .isEqualTo(replaced.size() + replacedCallsTheSimulatorNeverSaw());
    assertThat(last.getHistogram().getDataPointsList())
        .allSatisfy(
            p -> {
              assertThat(attr(p, "http.request.method")).isEqualTo("POST");
              assertThat(attr(p, "server.address")).isNotNull();
            });
    List<String> errorStatuses =
        replaced.stream()
            .filter(e -> e.status() >= 400)
            .map(e -> String.valueOf(e.status()))
            .distinct()
            .toList();
    assertThat(last.getHistogram().getDataPointsList())
        .extracting(p -> attr(p, "error.type"))
        .as("error.type of the calls that failed with an HTTP status")
        .containsAll(errorStatuses);
  }

  static String attr(HistogramDataPoint p, String key) {
    for (KeyValue kv : p.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  @Test
  void noSecretInTheExportedTelemetry() {
    String raw = new String(run.receiver.rawBytes(), StandardCharsets.ISO_8859_1);
    assertThat(raw).as("something was exported").isNotEmpty();
    for (String secret : secrets()) {
      List<String> where =
          run.receiver.spans().stream()
              .flatMap(
                  s ->
                      s.attributes().entrySet().stream()
                          .filter(e -> String.valueOf(e.getValue()).contains(secret))
                          .map(
                              e ->
                                  s.scope().getName()
                                      + " '"
                                      + s.name()
                                      + "' "
                                      + e.getKey()
                                      + "="
                                      + e.getValue()))
              .toList();
      assertThat(raw.contains(secret))
          .as("exported OTLP bytes contain " + secret + "; span attributes: " + where)
          .isFalse();
    }
    for (ExportedSpan s : run.receiver.spans()) {
      assertThat(s.attributes().keySet())
          .as("sensitive header captured on " + s)
          .noneMatch(
              k -> k.contains("authorization") || k.contains("api-key") || k.contains("api_key"));
    }
  }

  @Test
  void eachExchangeSeenOnceBySimulatorHasALabel() {
    Map<String, Long> byLabel =
        run.sim.exchanges().stream()
            .collect(
                Collectors.groupingBy(
                    e -> String.valueOf(SimulatorFixture.label(e)), Collectors.counting()));
    assertThat(byLabel)
        .as("no retries, no unlabelled calls")
        .allSatisfy(
            (label, n) -> {
              assertThat(label).isNotEqualTo("null");
              assertThat(n).isEqualTo(1L);
            });
  }
}
