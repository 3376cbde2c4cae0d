package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.Encoding;
import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.harness.SpanExpectations;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.agenttests.scenarios.TokenEstimateScenario;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.simulator.engine.TrueUsage;
import io.llmobserve.testsupport.ExportedSpan;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Streams without usage in one agent JVM (openai-java without include_usage, raw JDK HttpClient
 * over the chat corpus, Azure, a stream cancelled halfway): every span carries counted tokens,
 * marked estimated, within 1 % of the simulator's true counts (tokenizer-usage mode); a stream
 * whose response reports usage stays exact and unmarked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEstimateAgentTest {
  AgentRun run;

  @BeforeAll
  void start() throws Exception {
    // preload: the tokenizer is loaded at agent start, so the first calls are counted exactly too
    // (by default it loads in the background from the first LLM call on; calls ending before that
    // are estimated at 4 bytes per token and marked bytes_per_token:4)
    run =
        AgentRun.start(
            TokenEstimateScenario.class,
            TestPaths.forkClasspath(),
            "agent-tests-tokens",
            SimulatorFixture.start(true),
            jvm -> jvm.sysProp("otel.instrumentation.llm.estimate-tokens", "preload"));
  }

  @AfterAll
  void stop() {
    if (run != null) {
      run.close();
    }
  }

  ExportedSpan spanOf(String label) {
    List<Exchange> ex = run.sim.exchangesLabelled(label);
    assertThat(ex).as(label + " exchange; " + run.fork.describe()).hasSize(1);
    List<ExportedSpan> spans = SpanExpectations.spansFor(ex.get(0), run.genAiClientSpans());
    assertThat(spans).as(label + " span").hasSize(1);
    return spans.get(0);
  }

  static long lng(ExportedSpan s, String key) {
    Object v = s.attr(key);
    assertThat(v).as(key + " on " + s).isInstanceOf(Long.class);
    return (Long) v;
  }

  @Test
  void everyStreamWithoutUsageIsCountedWithinOnePercentAndMarked() {
    List<ScenarioResult> calls =
        run.fork.results().stream()
            .filter(
                r ->
                    r.label().startsWith("tokens.")
                        && !r.label().equals("tokens.exact")
                        && !r.label().equals("tokens.cancelled"))
            .toList();
    assertThat(calls).as(run.fork.describe()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(calls)
        .extracting(ScenarioResult::label)
        .anyMatch(l -> l.startsWith("tokens.openai.stream."))
        .anyMatch(l -> l.startsWith("tokens.jdk.stream."))
        .anyMatch(l -> l.startsWith("tokens.azure.stream."));
    long trueIn = 0, estIn = 0, trueOut = 0, estOut = 0;
    StringBuilder table = new StringBuilder();
    for (ScenarioResult r : calls) {
      assertThat(r.failed()).as(r.toString()).isFalse();
      Exchange ex = run.sim.exchangesLabelled(r.label()).get(0);
      ExportedSpan span = spanOf(r.label());
      assertThat(span.attr("llm.usage.estimated"))
          .as(r.label())
          .isEqualTo(List.of("input", "output"));
      assertThat((String) span.attr("llm.usage.estimate_method"))
          .as(r.label())
          .startsWith("tokenizer:");
      long in = lng(span, "gen_ai.usage.input_tokens");
      long out = lng(span, "gen_ai.usage.output_tokens");
      assertThat((double) in)
          .as(r.label() + " input vs truth " + ex.inputTokens())
          .isCloseTo(ex.inputTokens(), Percentage.withPercentage(1));
      assertThat((double) out)
          .as(r.label() + " output vs truth " + ex.outputTokens())
          .isCloseTo(ex.outputTokens(), Percentage.withPercentage(1));
      trueIn += ex.inputTokens();
      estIn += in;
      trueOut += ex.outputTokens();
      estOut += out;
      table.append(
          String.format(
              Locale.ROOT,
              "%-28s in %5d/%5d out %5d/%5d%n",
              r.label(),
              in,
              ex.inputTokens(),
              out,
              ex.outputTokens()));
    }
    System.out.printf(
        Locale.ROOT,
        "token estimates over %d streams: input %d vs true %d (%.3f %%), output %d vs "
            + "true %d (%.3f %%)%n%s",
        calls.size(),
        estIn,
        trueIn,
        100.0 * (estIn - trueIn) / trueIn,
        estOut,
        trueOut,
        100.0 * (estOut - trueOut) / trueOut,
        table);
  }

  @Test
  void aStreamCancelledHalfwayCountsTheInputAndTheOutputThatArrived() {
    ScenarioResult r = run.fork.resultsByLabel().get("tokens.cancelled");
    assertThat(r).as(run.fork.describe()).isNotNull();
    Exchange ex = run.sim.exchangesLabelled("tokens.cancelled").get(0);
    ExportedSpan span = spanOf("tokens.cancelled");
    String received = new String(Base64.getDecoder().decode(r.get("text")), StandardCharsets.UTF_8);
    Encoding enc = TrueUsage.encodingFor("gpt-4o");
    long receivedTokens = enc.countTokensOrdinary(received);
    assertThat(span.attr("llm.usage.estimated")).isEqualTo(List.of("input", "output"));
    assertThat((double) lng(span, "gen_ai.usage.input_tokens"))
        .isCloseTo(ex.inputTokens(), Percentage.withPercentage(1));
    // the agent sees what reached the client (the JDK client may have buffered more than the app
    // read)
    assertThat(lng(span, "gen_ai.usage.output_tokens"))
        .as("output of a stream cut after 4 deltas: " + received)
        .isBetween(receivedTokens, ex.outputTokens() - 1);
  }

  @Test
  void aStreamThatReportsUsageStaysExactAndUnmarked() {
    Exchange ex = run.sim.exchangesLabelled("tokens.exact").get(0);
    ExportedSpan span = spanOf("tokens.exact");
    assertThat(span.attributes())
        .doesNotContainKeys("llm.usage.estimated", "llm.usage.estimate_method");
    assertThat(lng(span, "gen_ai.usage.input_tokens")).isEqualTo(ex.inputTokens());
    assertThat(lng(span, "gen_ai.usage.output_tokens")).isEqualTo(ex.outputTokens());
  }
}
