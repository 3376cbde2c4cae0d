package io.llmobserve.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.simulator.Exchange;
import io.llmobserve.simulator.Incident;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo's traffic really reaches every route through the SDKs, and failures don't stop it. */
class DemoAppTest {

  @Test
  void mixedTrafficReachesEveryProviderAndRegion() throws Exception {
    try (LlmSimulator sim =
        LlmSimulator.builder().port(0).seed(1).profile(Profile.fast()).start()) {
      DemoApp app = new DemoApp();
      int code =
          new CommandLine(app)
              .execute(
                  "--simulator",
                  sim.baseUrl(),
                  "--rps",
                  "40",
                  "--max-calls",
                  "120",
                  "--duration",
                  "60s",
                  "--progress-every",
                  "2s",
                  "--seed",
                  "3",
                  "--no-warmup");

      assertThat(code).isZero();
      assertThat(app.lastStats.started.sum()).isEqualTo(120);
      assertThat(app.lastStats.ok.sum()).isEqualTo(120);
      List<Exchange> ex = sim.exchanges();
      assertThat(ex).hasSize(120).allMatch(e -> e.status() == 200);
      assertThat(ex).extracting(Exchange::provider).contains("openai", "azure", "anthropic");
      assertThat(ex)
          .extracting(Exchange::deployment)
          .contains("gpt-4o-eastus2", "gpt-4o-swedencentral");
      assertThat(ex).extracting(Exchange::region).contains("East US 2", "Sweden Central");
      assertThat(ex).extracting(Exchange::operation).contains("chat", "responses", "messages");
      assertThat(ex).extracting(Exchange::stream).contains(true, false);
    }
  }

  @Test
  void throttlingAndErrorsAreLoggedAndCountedWhileTrafficGoesOn() throws Exception {
    try (LlmSimulator sim =
        LlmSimulator.builder().port(0).seed(2).profile(Profile.fast()).start()) {
      sim.injectIncident(Incident.throttlingStorm(1.0).provider("anthropic"));
      sim.injectIncident(Incident.errorBurst(1.0, 500).deployment("gpt-4o-swedencentral"));
      DemoApp app = new DemoApp();
      int code =
          new CommandLine(app)
              .execute(
                  "--simulator",
                  sim.baseUrl(),
                  "--rps",
                  "40",
                  "--max-calls",
                  "80",
                  "--duration",
                  "60s",
                  "--seed",
                  "4",
                  "--no-warmup");

      assertThat(code).isZero();
      long throttled = sim.exchanges().stream().filter(e -> e.status() == 429).count();
      long errors = sim.exchanges().stream().filter(e -> e.status() == 500).count();
      assertThat(throttled).isPositive();
      assertThat(errors).isPositive();
      assertThat(app.lastStats.throttled.sum()).isEqualTo(throttled);
      assertThat(app.lastStats.errors.sum()).isEqualTo(errors);
      assertThat(app.lastStats.ok.sum()).isEqualTo(80 - throttled - errors);
    }
  }
}
