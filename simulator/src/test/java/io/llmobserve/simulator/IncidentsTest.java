package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.admin;
import static io.llmobserve.simulator.TestHttp.chat;
import static io.llmobserve.simulator.TestHttp.json;
import static io.llmobserve.simulator.TestHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmobserve.testsupport.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentsTest {
  static final String EASTUS2 =
      "/openai/deployments/gpt-4o-eastus2/chat/completions?api-version=2024-10-21";
  static final String SWEDEN =
      "/openai/deployments/gpt-4o-swedencentral/chat/completions?api-version=2024-10-21";
  // incident windows are read from this clock: the tests move it instead of sleeping
  final ManualClock clock = ManualClock.fixed();
  LlmSimulator sim;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().seed(21).profile(Profile.fast()).clock(clock).start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private long elapsedMs(String path) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = post(sim, path, chat("gpt-4o", false, 2));
    assertThat(r.statusCode()).isEqualTo(200);
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void latencySpikeMatchesRegionAndExpires() throws Exception {
    Incident spike =
        sim.injectIncident(
            Incident.latencySpike(400)
                .provider("azure")
                .region("East US 2")
                .duration(Duration.ofMillis(1500)));
    assertThat(spike.id()).isNotBlank();
    assertThat(elapsedMs(EASTUS2)).isGreaterThanOrEqualTo(400);
    Exchange hit = sim.lastExchange().orElseThrow();
    assertThat(hit.incidentIds()).containsExactly(spike.id());
    assertThat(hit.serverProcessingMs()).isGreaterThanOrEqualTo(400);
    // other region untouched (the planned delay, not the elapsed time: the machine may be slow)
    assertThat(post(sim, SWEDEN, chat("gpt-4o", false, 2)).statusCode()).isEqualTo(200);
    assertThat(sim.lastExchange().orElseThrow().incidentIds()).isEmpty();
    assertThat(sim.lastExchange().orElseThrow().serverProcessingMs()).isLessThan(400);
    clock.advance(Duration.ofMillis(1500)); // the spike's window is over
    assertThat(sim.activeIncidents()).isEmpty();
    assertThat(post(sim, EASTUS2, chat("gpt-4o", false, 2)).statusCode()).isEqualTo(200);
    assertThat(sim.lastExchange().orElseThrow().incidentIds()).isEmpty();
    assertThat(sim.lastExchange().orElseThrow().serverProcessingMs()).isLessThan(400);
  }

  @Test
  void hangHoldsJsonAndStreamsBeforeTheirFirstByte() throws Exception {
    sim.injectIncident(Incident.hang(60_000).provider("openai"));
    HttpClient client = HttpClient.newHttpClient();
    for (boolean stream : new boolean[] {false, true}) {
      HttpRequest held =
          HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
              .timeout(Duration.ofMillis(800))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(chat("gpt-4o", stream, 2)))
              .build();
      Assertions.assertThatThrownBy(() -> client.send(held, HttpResponse.BodyHandlers.ofString()))
          .as("no headers within the client's timeout (stream=%s)", stream)
          .isInstanceOf(HttpTimeoutException.class);
    }
    // other providers are not held
    assertThat(
            post(sim, "/v1/messages", TestHttp.anthropic("claude-sonnet-4-5", false, 2))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void ttftRegressionDelaysFirstChunkOfStreams() throws Exception {
    sim.injectIncident(Incident.ttftRegression(300).provider("openai"));
    post(sim, "/v1/chat/completions", chat("gpt-4o", true, 3));
    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.plannedTtftMs()).isGreaterThanOrEqualTo(300);
    assertThat(e.serverProcessingMs()).isGreaterThanOrEqualTo(300);
    post(sim, "/v1/messages", TestHttp.anthropic("claude-sonnet-4-5", true, 3));
    assertThat(sim.lastExchange().orElseThrow().plannedTtftMs()).isLessThan(300);
  }

  @Test
  void latencySpikeOnStreamsKeepsTtftButStretchesTheStream() throws Exception {
    sim.injectIncident(Incident.latencySpike(300).provider("openai"));
    post(sim, "/v1/chat/completions", chat("gpt-4o", true, 4));
    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.plannedTtftMs()).isLessThan(100);
    assertThat(e.plannedDurationMs()).isGreaterThanOrEqualTo(300);
  }

  @Test
  void throttlingStormAndErrorBurstHitOnlyMatchingCalls() throws Exception {
    sim.injectIncident(Incident.throttlingStorm(1.0).model("gpt-4o-mini").retryAfterSeconds(9));
    sim.injectIncident(Incident.errorBurst(1.0, 503).provider("anthropic"));
    HttpResponse<byte[]> mini = post(sim, "/v1/chat/completions", chat("gpt-4o-mini", false, 2));
    assertThat(mini.statusCode()).isEqualTo(429);
    assertThat(mini.headers().firstValue("retry-after")).hasValue("9");
    assertThat(post(sim, "/v1/chat/completions", chat("gpt-4o", false, 2)).statusCode())
        .isEqualTo(200);
    assertThat(
            post(sim, "/v1/messages", TestHttp.anthropic("claude-sonnet-4-5", false, 2))
                .statusCode())
        .isEqualTo(503);
    sim.clearIncidents();
    assertThat(post(sim, "/v1/chat/completions", chat("gpt-4o-mini", false, 2)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void modelVersionAndRegionChanges() throws Exception {
    sim.injectIncident(
        Incident.modelVersionChange("gpt-4o-2024-11-20")
            .model("gpt-4o")
            .provider("openai")
            .systemFingerprint("fp_newbuild01"));
    sim.injectIncident(Incident.regionChange("West US 3").deployment("gpt-4o-eastus2"));
    sim.injectIncident(
        Incident.builder(IncidentKind.REGION_CHANGE).provider("openai").newPop("FRA"));
    HttpResponse<byte[]> openai = post(sim, "/v1/chat/completions", chat("gpt-4o", false, 2));
    JsonNode body = json(openai);
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(body.get("system_fingerprint").asText()).isEqualTo("fp_newbuild01");
    assertThat(openai.headers().firstValue("cf-ray").orElseThrow()).endsWith("-FRA");
    assertThat(
            json(post(sim, "/v1/chat/completions", chat("gpt-4o-mini", false, 2)))
                .get("model")
                .asText())
        .isEqualTo("gpt-4o-mini-2024-07-18");
    HttpResponse<byte[]> azure = post(sim, EASTUS2, chat("gpt-4o", false, 2));
    assertThat(azure.headers().firstValue("x-ms-region")).hasValue("West US 3");
    assertThat(sim.lastExchange().orElseThrow().region()).isEqualTo("West US 3");
    // An incident matching on the new region applies after the move.
    sim.injectIncident(Incident.throttlingStorm(1).region("West US 3"));
    assertThat(post(sim, EASTUS2, chat("gpt-4o", false, 2)).statusCode()).isEqualTo(429);
  }

  @Test
  void scheduledIncidentStartsLater() throws Exception {
    sim.injectIncident(
        Incident.throttlingStorm(1)
            .startDelay(Duration.ofMillis(700))
            .duration(Duration.ofSeconds(30)));
    assertThat(post(sim, "/v1/chat/completions", chat("gpt-4o", false, 1)).statusCode())
        .isEqualTo(200);
    clock.advance(Duration.ofMillis(699));
    assertThat(sim.activeIncidents()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(post(sim, "/v1/chat/completions", chat("gpt-4o", false, 1)).statusCode())
        .isEqualTo(429);
  }

  @Test
  void adminApiInjectsListsAndClears() throws Exception {
    HttpResponse<String> created =
        admin(
            sim,
            "POST",
            "/_sim/incidents",
            "{\"kind\":\"latency_spike\",\"provider\":\"azure\",\"region\":\"East US 2\",\"model\":\"gpt-4o\","
                + "\"extraLatencyMs\":300,\"durationSeconds\":60}");
    assertThat(created.statusCode()).isEqualTo(201);
    String id = TestHttp.JSON.readTree(created.body()).get("incident").get("id").asText();
    JsonNode list =
        TestHttp.JSON.readTree(admin(sim, "GET", "/_sim/incidents", null).body()).get("incidents");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("state").asText()).isEqualTo("active");
    assertThat(list.get(0).get("incident").get("kind").asText()).isEqualTo("latency_spike");
    assertThat(elapsedMs(EASTUS2)).isGreaterThanOrEqualTo(300);

    HttpResponse<String> storm =
        admin(
            sim,
            "POST",
            "/_sim/incidents",
            "[{\"kind\":\"throttling_storm\",\"provider\":\"openai\",\"percent\":100},"
                + "{\"kind\":\"error_burst\",\"provider\":\"anthropic\",\"rate\":1,\"status\":500}]");
    assertThat(storm.statusCode()).isEqualTo(201);
    assertThat(post(sim, "/v1/chat/completions", chat("gpt-4o", false, 1)).statusCode())
        .isEqualTo(429);

    assertThat(admin(sim, "DELETE", "/_sim/incidents/" + id, null).statusCode()).isEqualTo(200);
    assertThat(post(sim, EASTUS2, chat("gpt-4o", false, 2)).statusCode()).isEqualTo(200);
    assertThat(sim.lastExchange().orElseThrow().incidentIds()).isEmpty();
    JsonNode cleared = TestHttp.JSON.readTree(admin(sim, "DELETE", "/_sim/incidents", null).body());
    assertThat(cleared.get("cleared").asInt()).isEqualTo(2);
    assertThat(post(sim, "/v1/chat/completions", chat("gpt-4o", false, 1)).statusCode())
        .isEqualTo(200);

    assertThat(admin(sim, "POST", "/_sim/incidents", "{\"kind\":\"nonsense\"}").statusCode())
        .isEqualTo(400);

    JsonNode stats = TestHttp.JSON.readTree(admin(sim, "GET", "/_sim/stats", null).body());
    assertThat(stats.get("requests").asLong()).isEqualTo(sim.exchanges().size());
    assertThat(stats.get("byProvider").get("openai").get("byStatus").get("429").asLong())
        .isEqualTo(1);
    assertThat(stats.get("byProvider").get("azure").get("requests").asLong()).isEqualTo(2);

    JsonNode exchanges =
        TestHttp.JSON.readTree(admin(sim, "GET", "/_sim/exchanges?limit=2", null).body());
    assertThat(exchanges.get("exchanges")).hasSize(2);
    assertThat(exchanges.get("exchanges").get(1).get("status").asInt()).isEqualTo(200);
  }

  @Test
  void adminApiUpdatesProfile() throws Exception {
    HttpResponse<String> r =
        admin(
            sim,
            "PUT",
            "/_sim/profile",
            "{\"throttleRate\":1.0,\"personas\":{\"openai\":{\"pop\":\"AMS\"}}}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sim.profile().throttleRate()).isEqualTo(1.0);
    assertThat(sim.profile().personas().get("openai").pop()).isEqualTo("AMS");
    assertThat(sim.profile().personas().get("openai").systemFingerprint())
        .isNotNull(); // merged, not replaced
    HttpResponse<byte[]> throttled = post(sim, "/v1/chat/completions", chat("gpt-4o", false, 1));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("cf-ray").orElseThrow()).endsWith("-AMS");
  }

  @Test
  void streamAbortCutsResponsesOffMidBody() throws Exception {
    sim.injectIncident(Incident.streamAbort(1.0).provider("openai").afterChunks(3));
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(chat("gpt-4o", true, 20)))
            .build();
    HttpResponse<InputStream> r = TestHttp.H1.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Assertions.assertThatThrownBy(() -> r.body().transferTo(got)).isInstanceOf(IOException.class);
    assertThat(got.toString(StandardCharsets.UTF_8))
        .contains("chat.completion.chunk")
        .doesNotContain("[DONE]");
    Exchange e = sim.lastExchange().orElseThrow();
    assertThat(e.aborted()).isTrue();
    assertThat(e.incidentIds()).hasSize(1);

    // JSON: the body stops short of its Content-Length.
    Assertions.assertThatThrownBy(
            () -> post(sim, "/v1/chat/completions", chat("gpt-4o", false, 20)))
        .isInstanceOf(IOException.class);
    assertThat(sim.lastExchange().orElseThrow().aborted()).isTrue();
    // Other providers are untouched.
    assertThat(
            post(sim, "/v1/messages", TestHttp.anthropic("claude-sonnet-4-5", true, 5))
                .statusCode())
        .isEqualTo(200);
    assertThat(sim.lastExchange().orElseThrow().aborted()).isFalse();
  }
}
