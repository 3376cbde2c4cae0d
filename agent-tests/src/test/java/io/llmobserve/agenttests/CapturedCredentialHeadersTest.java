package io.llmobserve.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agenttests.harness.AgentRun;
import io.llmobserve.agenttests.harness.ForkResult;
import io.llmobserve.agenttests.harness.ForkedJvm;
import io.llmobserve.agenttests.harness.SimulatorFixture;
import io.llmobserve.agenttests.scenarios.CredentialHeadersScenario;
import io.llmobserve.testsupport.ExportedSpan;
import io.llmobserve.testsupport.OtlpReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user who turns on header capture for exactly the credential headers (client and server side,
 * request and response) still exports no secret: the agent masks their values on every span.
 */
class CapturedCredentialHeadersTest {

  @Test
  void capturedCredentialHeadersAreMaskedInTheExportedBytes() throws Exception {
    try (SimulatorFixture sim = SimulatorFixture.start();
        OtlpReceiver receiver = new OtlpReceiver()) {
      ForkResult fork =
          AgentRun.configure(ForkedJvm.main(CredentialHeadersScenario.class), sim)
              .serviceName("agent-tests-credential-headers")
              .otlpEndpoint(receiver.endpoint())
              .sysProp(
                  "otel.instrumentation.http.client.capture-request-headers",
                  "authorization,api-key,x-api-key,cookie")
              .sysProp(
                  "otel.instrumentation.http.client.capture-response-headers",
                  "set-cookie,x-request-id")
              .sysProp(
                  "otel.instrumentation.http.server.capture-request-headers",
                  "authorization,cookie,x-api-key")
              .sysProp("otel.instrumentation.http.server.capture-response-headers", "set-cookie")
              .args(sim.baseUrl())
              .timeout(Duration.ofSeconds(120))
              .run();
      assertThat(fork.exitCode()).as(fork.describe()).isZero();
      assertThat(fork.results()).as(fork.describe()).hasSize(2).noneMatch(r -> r.failed());

      // the LLM span, the upstream client spans (LLM and service), and the service's server span
      List<ExportedSpan> spans =
          receiver.awaitSpans(
              s ->
                  s.stream()
                              .filter(x -> x.attr("http.response.header.x-request-id") != null)
                              .count()
                          >= 1
                      && s.stream().anyMatch(ExportedSpan::isGenAiClient),
              Duration.ofSeconds(10));
      // spans AND metrics (exemplars keep the attributes a metric view drops, captured headers
      // included)
      String raw = new String(receiver.rawBytes(), StandardCharsets.ISO_8859_1);
      for (String secret : CredentialHeadersScenario.SECRETS) {
        assertThat(raw).as("exported OTLP bytes contain " + secret).doesNotContain(secret);
      }
      // a credential header is either not captured at all or captured masked
      for (ExportedSpan s : spans) {
        s.attributes()
            .forEach(
                (k, v) -> {
                  if (k.endsWith(".authorization")
                      || k.endsWith(".cookie")
                      || k.endsWith("api-key")) {
                    assertThat(String.valueOf(v)).as(k + " on " + s).isEqualTo("[REDACTED]");
                  }
                });
      }
      // ordinary captured headers are untouched
      assertThat(spans)
          .anySatisfy(
              s ->
                  assertThat(String.valueOf(s.attr("http.response.header.x-request-id")))
                      .doesNotContain("REDACTED")
                      .isNotEqualTo("null"));
    }
  }
}
