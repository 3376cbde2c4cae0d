package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.chat;
import static io.llmobserve.simulator.TestHttp.json;
import static io.llmobserve.simulator.TestHttp.post;
import static io.llmobserve.simulator.TestHttp.sse;
import static io.llmobserve.simulator.TestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AzureChatTest {
  static LlmSimulator sim;

  @BeforeAll
  static void start() {
    sim =
        LlmSimulator.builder()
            .seed(11)
            .profile(
                Profile.fast().toBuilder()
                    .azureDeployment("mini-westeurope", "West Europe", "gpt-4o-mini"))
            .start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void deploymentPersonaDecidesRegionAndModel() throws Exception {
    HttpResponse<byte[]> r =
        post(
            sim,
            "/openai/deployments/gpt-4o-swedencentral/chat/completions?api-version=2024-10-21",
            chat("ignored", false, 5).replace("\"model\":\"ignored\",", ""),
            "api-key",
            "secret");
    assertThat(r.statusCode()).isEqualTo(200);
    var h = r.headers();
    assertThat(h.firstValue("x-ms-region")).hasValue("Sweden Central");
    assertThat(h.firstValue("x-ms-deployment-name")).hasValue("gpt-4o-swedencentral");
    assertThat(h.firstValue("apim-request-id").orElseThrow())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(h.firstValue("x-request-id")).isPresent();
    assertThat(h.firstValue("azureml-model-session")).isPresent();
    assertThat(h.firstValue("x-envoy-upstream-service-time").orElseThrow()).matches("\\d+");
    assertThat(h.firstValue("openai-processing-ms")).isEmpty();
    assertThat(h.firstValue("x-ratelimit-remaining-requests")).isPresent();
    assertThat(h.firstValue("x-ratelimit-remaining-tokens")).isPresent();
    JsonNode body = json(r);
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(body.get("prompt_filter_results").get(0).get("content_filter_results").has("hate"))
        .isTrue();
    assertThat(
            body.get("choices")
                .get(0)
                .get("content_filter_results")
                .get("violence")
                .get("severity")
                .asText())
        .isEqualTo("safe");
    assertThat(body.get("usage").get("completion_tokens").asLong()).isEqualTo(5);
    assertThat(body.has("service_tier")).isFalse();

    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.provider()).isEqualTo("azure");
    assertThat(e.deployment()).isEqualTo("gpt-4o-swedencentral");
    assertThat(e.requestModel()).isEqualTo("gpt-4o");
    assertThat(e.region()).isEqualTo("Sweden Central");
    assertThat(e.requestId()).isEqualTo(h.firstValue("apim-request-id").orElseThrow());
    assertThat(e.requestHeaders()).containsEntry("api-key", "secret");
  }

  @Test
  void defaultsAndCustomDeployments() throws Exception {
    assertThat(
            post(
                    sim,
                    "/openai/deployments/gpt-4o-eastus2/chat/completions?api-version=2024-10-21",
                    chat("gpt-4o", false, 2))
                .headers()
                .firstValue("x-ms-region"))
        .hasValue("East US 2");
    HttpResponse<byte[]> custom =
        post(
            sim,
            "/openai/deployments/mini-westeurope/chat/completions?api-version=x",
            chat("gpt-4o", false, 2));
    assertThat(custom.headers().firstValue("x-ms-region")).hasValue("West Europe");
    assertThat(json(custom).get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    HttpResponse<byte[]> unknown =
        post(
            sim,
            "/openai/deployments/whatever/chat/completions?api-version=x",
            chat("gpt-4o", false, 2));
    assertThat(unknown.headers().firstValue("x-ms-region")).hasValue("East US");
  }

  @Test
  void streamStartsWithEmptyModelFilterChunk() throws Exception {
    HttpResponse<byte[]> r =
        post(
            sim,
            "/openai/deployments/gpt-4o-eastus2/chat/completions?api-version=2024-10-21",
            chat("gpt-4o", true, 4));
    List<TestHttp.Sse> events = sse(text(r));
    JsonNode first = events.get(0).json();
    assertThat(first.get("model").asText()).isEmpty();
    assertThat(first.get("choices")).isEmpty();
    assertThat(first.get("prompt_filter_results")).isNotEmpty();
    JsonNode second = events.get(1).json();
    assertThat(second.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(second.get("choices").get(0).get("delta").get("role").asText())
        .isEqualTo("assistant");
    assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
    JsonNode usageChunk = events.get(events.size() - 2).json();
    assertThat(usageChunk.get("usage").get("completion_tokens").asLong()).isEqualTo(4);
    long finishes =
        events.stream()
            .filter(e -> !e.data().equals("[DONE]"))
            .map(
                e -> {
                  try {
                    return e.json().path("choices").path(0).path("finish_reason").asText("");
                  } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                  }
                })
            .filter("stop"::equals)
            .count();
    assertThat(finishes).isEqualTo(1);
  }

  @Test
  void v1RouteTakesDeploymentFromModel() throws Exception {
    HttpResponse<byte[]> r =
        post(sim, "/openai/v1/chat/completions", chat("gpt-4o-swedencentral", false, 3));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-ms-region")).hasValue("Sweden Central");
    assertThat(r.headers().firstValue("x-ms-deployment-name")).hasValue("gpt-4o-swedencentral");
    assertThat(json(r).get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
  }
}
