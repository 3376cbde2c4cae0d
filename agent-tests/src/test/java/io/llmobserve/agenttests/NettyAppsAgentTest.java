package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.ScenarioResult;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.harness.SpanExpectations;
import io.llmobserve.agenttests.harness.TestPaths;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.testsupport.ExportedSpan;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Reactor Netty's users in one JVM (agent-tests/netty-apps: Netty 4.2, Reactor Netty 1.3.7, Spring
 * 6.2 WebClient/RestClient, Spring AI 1.1.2 OpenAI and Anthropic, azure-ai-openai on
 * azure-core-http-netty), observed by the agent's one Netty hook.
 */
class NettyAppsAgentTest extends AgentRunContract {
  static final SpanExpectations.Where REACTOR_NETTY =
      new SpanExpectations.Where("127.0.0.1", null, null, SpanExpectations.HttpSpan.PARENT);

  /** The calls whose only client span is ours: raw Reactor Netty, RestClient on Reactor Netty. */
  static final Pattern REPLACED_LABELS = Pattern.compile("reactor\\..*|spring\\.restclient\\..*");

  @Override
  AgentRun startRun() throws Exception {
    // tokenizer usage: the simulator's token counts are the true counts of the text it serves, so
    // the agent's estimates for streams without usage can be held to them
    return startRun(SimulatorFixture.start(true), "agent-tests-netty", jvm -> jvm);
  }

  /** The scenario against {@code sim}, with {@code extra} settings applied last. */
  static AgentRun startRun(SimulatorFixture sim, String service, UnaryOperator<ForkedJvm> extra)
      throws Exception {
    return AgentRun.start(
        "io.llmobserve.agenttests.netty.NettyAppsScenario",
        TestPaths.appsClasspath("netty-apps"),
        service,
        sim,
        // the tokenizer loads at agent start: the last call (an Azure stream without usage, so
        // counted by the agent) ends as fast as the others before the app exits
        (jvm, s) ->
            extra.apply(jvm.sysProp("otel.instrumentation.llm.estimate-tokens", "preload")));
  }

  @Override
  List<String> nonCallLabels() {
    return List.of("netty.version", "reactor.refused");
  }

  /** The port of the refused call (no simulator exchange). */
  String refusedPort() {
    return run.fork.resultsByLabel().get("reactor.refused").get("port");
  }

  @Override
  int replacedCallsTheSimulatorNeverSaw() {
    return 1; // the refused call: its duration is recorded with its error.type, as upstream does
  }

  @Override
  List<ExportedSpan> answeredCallSpans() {
    return run.genAiClientSpans().stream()
        .filter(s -> !refusedPort().equals(String.valueOf(s.attr("server.port"))))
        .toList();
  }

  /**
   * Our mark keeps upstream's span away from an LLM call at subscription, and ours starts when the
   * request is written: a call refused before that still gets one client span, ours, failed.
   */
  @Test
  void aCallRefusedBeforeItsRequestIsWrittenHasOurFailedSpan() {
    assertThat(run.fork.resultsByLabel().get("reactor.refused").get("failed"))
        .as(run.fork.describe())
        .isNotEqualTo("no");
    List<ExportedSpan> refused =
        run.receiver.spans().stream()
            .filter(s -> refusedPort().equals(String.valueOf(s.attr("server.port"))))
            .toList();
    assertThat(refused).as("spans of the refused call").hasSize(1);
    ExportedSpan span = refused.get(0);
    assertThat(span.isGenAiClient()).as(span.toString()).isTrue();
    assertThat(span.span().getStatus().getCode())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(span.attr("error.type")).as(span.toString()).isNotNull();
    assertThat(span.attr("http.request.method")).isEqualTo("POST");
  }

  /**
   * The Azure SDK runs on its builder's own pipeline (see AzureSdkScenario): azure-core's tracing
   * policy (the upstream agent's azure-core instrumentation) makes the HTTP span and writes its
   * traceparent, which the Netty hook reads, so that span is our parent. Its body names no model
   * (the deployment is the request model), and beta.16 cannot ask for usage in streams.
   */
  @Override
  SpanExpectations.Where where(Exchange ex) {
    String label = String.valueOf(SimulatorFixture.label(ex));
    if (label.startsWith("azure.sdk.")) {
      SpanExpectations.Where azure = REACTOR_NETTY.withDeploymentAsRequestModel();
      return ex.stream() ? azure.withoutUsageOnWire() : azure;
    }
    if (label.startsWith("springai.")) {
      // Spring AI's observation is current on the calling thread; whether the HTTP span or the
      // observation ends up as our parent depends on what the framework propagates (see below)
      // call() runs on RestClient over Reactor Netty: ours is the HTTP client span there
      SpanExpectations.Where spring =
          REACTOR_NETTY.withHttpSpan(
              label.endsWith(".call")
                  ? SpanExpectations.HttpSpan.REPLACED
                  : SpanExpectations.HttpSpan.UNCHECKED);
      // with Spring AI's defaults (streamUsage off) the stream reports no usage: the agent counts
      return label.equals("springai.openai.stream.defaults") ? spring.withoutUsageOnWire() : spring;
    }
    if (REPLACED_LABELS.matcher(label).matches()) {
      // Reactor Netty's own HttpClient (also under Spring's RestClient): ours is the call's only
      // client span (upstream's suppressed at subscription), HTTP/1.1 and HTTP/2 alike, and the
      // simulator got our traceparent. WebClient keeps spring-webflux's HTTP span above ours.
      return REACTOR_NETTY.withHttpSpan(SpanExpectations.HttpSpan.REPLACED);
    }
    return REACTOR_NETTY;
  }

  /**
   * Spring AI's observations, exported through Micrometer's OTel bridge as a Boot app would, are
   * wrappers, not calls: INTERNAL spans describing the same responses as ours, and the one gen_ai
   * CLIENT span per call (exactlyOneGenAiClientSpanPerCall) is still ours alone. (Whether they
   * share our trace depends on Spring's own propagation: call() does, through the traceparent the
   * request carries; stream() does not without Reactor's automatic context propagation, which Boot
   * enables.)
   */
  @Test
  void springAiObservationSpansAreWrappersNotCalls() {
    List<ExportedSpan> observations =
        run.receiver.spans().stream()
            .filter(s -> s.scope().getName().equals("spring-ai-observations"))
            .toList();
    List<Object> ourResponseIds =
        run.genAiClientSpans().stream().map(s -> s.attr("gen_ai.response.id")).toList();
    assertThat(observations)
        .as("one Spring AI observation span per Spring AI call")
        .hasSize(5)
        .allMatch(s -> s.kind() == Span.SpanKind.SPAN_KIND_INTERNAL)
        .allMatch(s -> ourResponseIds.contains(s.attr("gen_ai.response.id")));
  }

  @Test
  void theAzureSdkRanOnItsDefaultNettyTransport() {
    assertThat(run.fork.resultsByLabel().get("azure.sdk.chat").get("httpClient"))
        .as(run.fork.describe())
        .isEqualTo("com.azure.core.http.netty.NettyAsyncHttpClient");
  }

  @Test
  void theForkRanReactorNetty137OnNetty42() {
    var version = run.fork.resultsByLabel().get("netty.version");
    assertThat(version.get("reactorNetty")).as(run.fork.describe()).isEqualTo("1.3.7");
    assertThat(version.get("netty")).as(run.fork.describe()).startsWith("4.2.");
  }

  @Test
  void everyFamilyRanIncludingHttp2() {
    assertThat(callResults())
        .extracting(ScenarioResult::label)
        .contains(
            "reactor.chat",
            "reactor.stream",
            "reactor.h2.stream",
            "spring.webclient.stream",
            "springai.openai.call",
            "springai.openai.stream",
            "springai.openai.stream.defaults",
            "springai.anthropic.call",
            "springai.anthropic.stream",
            "azure.sdk.chat",
            "azure.sdk.stream");
    assertThat(run.sim.exchanges())
        .extracting(Exchange::httpVersion)
        .contains("HTTP/1.1", "HTTP/2.0");
  }

  @Test
  void ourSpanIsTheHttpSpanOnReactorNettyElseUpstreamsWebClientOrAzureCoreSpanIsAbove() {
    List<ExportedSpan> all = run.receiver.spans();
    for (ExportedSpan llm : answeredCallSpans()) {
      if (all.stream()
          .anyMatch(
              s ->
                  s.spanId().equals(llm.parentSpanId())
                      && s.scope().getName().equals("spring-ai-observations"))) {
        continue; // see where()
      }
      List<String> scopes =
          all.stream()
              .filter(s -> s.spanId().equals(llm.parentSpanId()))
              .map(s -> s.scope().getName())
              .toList();
      if (llm.attr("http.request.method") != null) {
        // ours is the HTTP client span (raw Reactor Netty, RestClient): the app's context is the
        // parent (none in this app), and no Reactor Netty or Netty span is in the trace at all
        assertThat(scopes).as("parent of " + llm).isEmpty();
        assertThat(all)
            .as("upstream's HTTP spans in the trace of " + llm)
            .noneMatch(
                s ->
                    s.traceId().equals(llm.traceId())
                        && s.kind() == Span.SpanKind.SPAN_KIND_CLIENT
                        && s.scope().getName().matches(".*(reactor-netty|netty|spring-webflux).*"));
        continue;
      }
      assertThat(scopes).as("scope of the parent of " + llm).hasSize(1);
      assertThat(scopes.get(0))
          .as("scope of the parent of " + llm)
          .matches(
              String.valueOf(llm.attr("gen_ai.provider.name")).startsWith("azure")
                  ? ".*azure.*" // azure-core's tracing policy, which suppresses Reactor Netty's
                  : ".*(reactor-netty|spring-webflux).*");
    }
  }
}
