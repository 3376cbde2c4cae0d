package io.llmobserve.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product's promise end to end, with real processes: an LLM latency spike in one hosting region
 * (injected in the simulator) travels agent -> pipeline detector -> Prometheus rule ->
 * Alertmanager, arrives as a firing alert with the right labels, and resolves once the spike is
 * over. While it fires, every dashboard panel's query must return data.
 *
 * <p>Ordered steps over one running stack (a few minutes in all).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LatencySpikeEndToEndTest {
  private static final long EXTRA_LATENCY_MS = 10000;
  private static final int SPIKE_SECONDS = 30;

  /** How long the hang holds responses: the alert must arrive well before. */
  private static final long HANG_MS = 40_000;

  private LlmStack stack;

  /** The key the spike hits (pipeline labels), chosen from the live traffic. */
  private String provider;

  private String region;
  private Instant spikeStart;
  private JsonNode firingAlert;

  @BeforeAll
  void startStack() throws Exception {
    var prometheusBin = ExternalTools.prometheus();
    var alertmanagerBin = ExternalTools.alertmanager();
    stack = LlmStack.start(ProjectLayout.detect(), prometheusBin, alertmanagerBin);
  }

  @AfterAll
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void latencySpikeInOneRegionReachesAlertmanagerAsFiringAlert() {
    PrometheusServer prom = stack.prometheus;
    // 1. traffic flows and has a hosting region (llm.hosting.region from x-ms-region, ...)
    JsonNode key =
        Poll.until(
            "LLM calls with a known hosting region in Prometheus",
            Duration.ofSeconds(120),
            Duration.ofSeconds(1),
            () ->
                first(
                    prom.query(
                        "topk(1, sum by (provider, region) (rate(llm_calls_total{region!=\"unknown\"}[30s])) > 0)")),
            () -> stack.logTails(30),
            stack.processes());
    provider = key.path("metric").path("provider").asText();
    region = key.path("metric").path("region").asText();
    System.out.printf(
        "[e2e] traffic flows; spiking provider=%s region=%s (%.1f calls/s)%n",
        provider, region, Double.parseDouble(key.path("value").get(1).asText()));

    // 2. detector warm-up: WARMUP_WINDOWS closed windows with latency for this key
    String latencySelector =
        "llm_latency_seconds{quantile=\"0.95\",provider=\"%s\",region=\"%s\"}"
            .formatted(provider, region);
    Poll.until(
        "latency gauges of the key",
        Duration.ofSeconds(60),
        Duration.ofSeconds(1),
        () -> first(prom.query(latencySelector)),
        () -> stack.logTails(30),
        stack.processes());
    Duration warmup = Duration.ofSeconds((LlmStack.WARMUP_WINDOWS + 3L) * windowSeconds());
    System.out.printf(
        "[e2e] detector warm-up: waiting %ds (%d windows of %s)%n",
        warmup.toSeconds(), LlmStack.WARMUP_WINDOWS + 3, LlmStack.WINDOW);
    Poll.sleep(warmup);
    JsonNode early = prom.query("llm_anomaly_active{kind=\"latency_spike\"} == 1");
    if (early.size() > 0) {
      System.out.println("[e2e] note: latency_spike already active before the spike: " + early);
    }

    // 3. the spike
    String simProvider = provider.startsWith("azure") ? "azure" : provider;
    String incident =
        """
        {"kind":"latency_spike","provider":"%s","region":"%s","extraLatencyMs":%d,"durationSeconds":%d}"""
            .formatted(simProvider, region, EXTRA_LATENCY_MS, SPIKE_SECONDS);
    Http.Response injected = Http.postJson(stack.simulatorUrl() + "/_sim/incidents", incident);
    spikeStart = Instant.now();
    assertThat(injected.status())
        .as("simulator accepted the incident: %s", injected.body())
        .isBetween(200, 299);
    System.out.printf("[e2e] %s spike injected: %s%n", spikeStart, incident);

    // 4. the alerts in Alertmanager: LlmCallsStalled while the slow calls are still open (from the
    // agent's in-flight metrics), then LlmLatencySpike once they completed
    Instant[] stallArrived = new Instant[1];
    firingAlert =
        Poll.until(
            "LlmLatencySpike firing in Alertmanager",
            Duration.ofSeconds(150),
            Duration.ofMillis(250),
            () -> {
              if (stallArrived[0] == null
                  && findAlert("LlmCallsStalled", "stall", provider, region).isPresent()) {
                stallArrived[0] = Instant.now();
              }
              return findAlert(true);
            },
            () -> stack.logTails(40) + "\nalerts file: " + alertEvents(),
            stack.processes());
    Instant arrived = Instant.now();
    Duration spikeToAlert = Duration.between(spikeStart, arrived);
    System.out.printf(
        "[e2e] SPIKE-TO-ALERT %.1fs: spike injected %s, LlmLatencySpike firing in Alertmanager %s"
            + " (alert startsAt %s)%n",
        spikeToAlert.toMillis() / 1000.0,
        spikeStart,
        arrived,
        firingAlert.path("startsAt").asText());
    // A +10 s spike pages as a stall only when the calls stay open past 4x the key's p95 (the
    // stall rule, DESIGN.md): on a loaded machine the p95 can put that beyond the calls' end, so
    // here it is measured, not required. The hang step below requires the stall page.
    if (stallArrived[0] != null) {
      System.out.printf(
          "[e2e] SPIKE-TO-PAGE %.1fs: LlmCallsStalled firing in Alertmanager %s, while the +%ds"
              + " calls were still open%n",
          Duration.between(spikeStart, stallArrived[0]).toMillis() / 1000.0,
          stallArrived[0],
          EXTRA_LATENCY_MS / 1000);
    } else {
      System.out.println(
          "[e2e] SPIKE-TO-PAGE none: the slow calls ended before the stall rule's threshold");
    }

    JsonNode labels = firingAlert.path("labels");
    assertThat(labels.path("kind").asText()).isEqualTo("latency_spike");
    assertThat(labels.path("provider").asText()).isEqualTo(provider);
    assertThat(labels.path("region").asText()).isEqualTo(region);
    assertThat(labels.path("service").asText()).isEqualTo("demo-app");
    assertThat(labels.path("severity").asText()).isEqualTo("warning");
    Set<String> modelsOfKey =
        labelValues(
            prom.query(
                "sum by (model) (llm_calls_total{provider=\"%s\",region=\"%s\"})"
                    .formatted(provider, region)),
            "model");
    assertThat(labels.path("model").asText()).as("model label").isIn(modelsOfKey);
    assertThat(firingAlert.path("annotations").path("summary").asText()).contains(region);
    assertThat(firingAlert.path("annotations").path("score").asText()).isNotBlank();
    // the pipeline exports llm_anomaly_observed/_baseline: the rule's template queries find numbers
    assertThat(firingAlert.path("annotations").path("observed").asText())
        .as("observed annotation")
        .matches("[0-9.eE+-]+");
    assertThat(firingAlert.path("annotations").path("baseline").asText())
        .as("baseline annotation")
        .matches("[0-9.eE+-]+");
    // the pipeline's own alert event stream saw the same anomaly open
    assertThat(alertEvents())
        .as("pipeline alert events (--alerts-out)")
        .anySatisfy(
            e -> {
              assertThat(e.path("kind").asText()).isEqualTo("latency_spike");
              assertThat(e.path("state").asText()).isEqualTo("firing");
              assertThat(e.path("provider").asText()).isEqualTo(provider);
              assertThat(e.path("region").asText()).isEqualTo(region);
            });
  }

  @Test
  @Order(2)
  void everyDashboardPanelQueryReturnsDataWhileTheSpikeIsOpen() throws Exception {
    var layout = ProjectLayout.detect();
    var subs = DashboardQueries.defaultSubstitutions();
    List<DashboardQueries.Query> queries = DashboardQueries.load(layout.dashboardsDir(), subs);
    assertThat(queries).as("dashboard queries").hasSizeGreaterThan(20);
    List<String> failures = new ArrayList<>();
    for (DashboardQueries.Query q : queries) {
      try {
        JsonNode result = stack.prometheus.query(q.promql());
        if (result.size() == 0) {
          failures.add("EMPTY  " + q);
        }
      } catch (RuntimeException e) {
        failures.add("ERROR  " + q + " -> " + e.getMessage());
      }
    }
    for (DashboardQueries.LabelValues v :
        DashboardQueries.variables(layout.dashboardsDir(), subs)) {
      JsonNode values =
          Http.get(
                  stack.prometheus.url()
                      + "/api/v1/label/"
                      + v.label()
                      + "/values?match[]="
                      + Http.enc(v.match()))
              .json()
              .path("data");
      if (values.size() == 0) {
        failures.add("EMPTY  " + v.dashboard() + " / variable " + v.variable() + ": " + v.match());
      }
    }
    System.out.printf(
        "[e2e] dashboards: %d panel/annotation queries, %d failing%n",
        queries.size(), failures.size());
    failures.forEach(f -> System.out.println("[e2e]   " + f));
    assertThat(failures).as("dashboard queries without data").isEmpty();
  }

  @Test
  @Order(3)
  void alertResolvesAfterTheSpikeEnds() {
    assertThat(firingAlert).as("a firing alert from step 1 (see its failure)").isNotNull();
    Instant spikeEnd = spikeStart.plusSeconds(SPIKE_SECONDS);
    Poll.until(
        "LlmLatencySpike resolved in Alertmanager",
        Duration.ofSeconds(180),
        Duration.ofMillis(500),
        () -> findAlert(true).isPresent() ? Optional.empty() : Optional.of(true),
        () -> stack.logTails(40),
        stack.processes());
    Instant resolved = Instant.now();
    System.out.printf(
        "[e2e] resolved in Alertmanager %.1fs after the spike ended%n",
        Duration.between(spikeEnd, resolved).toMillis() / 1000.0);
    // the webhook receiver got the notification lifecycle: firing, then resolved
    Poll.until(
        "resolved webhook notification",
        Duration.ofSeconds(30),
        Duration.ofMillis(250),
        () ->
            stack.webhook.notifications().stream()
                    .anyMatch(
                        n ->
                            "resolved".equals(n.path("status").asText())
                                && matches(n.path("commonLabels")))
                ? Optional.of(true)
                : Optional.empty(),
        () -> "notifications: " + stack.webhook.notifications(),
        stack.processes());
    assertThat(stack.webhook.notifications())
        .anySatisfy(
            n -> {
              assertThat(n.path("status").asText()).isEqualTo("firing");
              assertThat(matches(n.path("commonLabels"))).isTrue();
            });
    assertThat(alertEvents())
        .as("pipeline alert events")
        .anySatisfy(
            e -> {
              assertThat(e.path("kind").asText()).isEqualTo("latency_spike");
              assertThat(e.path("state").asText()).isEqualTo("resolved");
              assertThat(e.path("provider").asText()).isEqualTo(provider);
            });
  }

  /**
   * A region outage as the client sees it: the simulator holds every response of the other Azure
   * region (no headers) for 40 s. LlmCallsStalled must reach Alertmanager while those calls are
   * open: the simulator has recorded none of them as answered.
   */
  @Test
  @Order(4)
  void hangReachesAlertmanagerBeforeAnyHeldCallCompletes() {
    String hangRegion = region.equals("Sweden Central") ? "East US 2" : "Sweden Central";
    String incident =
        """
        {"kind":"hang","provider":"azure","region":"%s","extraLatencyMs":%d}"""
            .formatted(hangRegion, HANG_MS);
    Http.Response injected = Http.postJson(stack.simulatorUrl() + "/_sim/incidents", incident);
    Instant hangStart = Instant.now();
    assertThat(injected.status())
        .as("simulator accepted the hang: %s", injected.body())
        .isBetween(200, 299);
    String hangId = injected.json().path("incident").path("id").asText();
    System.out.printf("[e2e] %s hang injected: %s%n", hangStart, incident);

    JsonNode alert =
        Poll.until(
            "LlmCallsStalled for " + hangRegion + " firing in Alertmanager",
            Duration.ofMillis(HANG_MS),
            Duration.ofMillis(250),
            () -> findAlert("LlmCallsStalled", "stall", provider, hangRegion),
            () -> stack.logTails(40) + "\nalerts file: " + alertEvents(),
            stack.processes());
    Instant arrived = Instant.now();
    // ground truth: the simulator records an exchange when it writes the response; none of the held
    // ones yet
    JsonNode answered =
        Http.get(stack.simulatorUrl() + "/_sim/exchanges?limit=10000").json().path("exchanges");
    List<JsonNode> heldAnswered = new ArrayList<>();
    answered.forEach(
        e ->
            e.path("incidentIds")
                .forEach(
                    id -> {
                      if (id.asText().equals(hangId)) {
                        heldAnswered.add(e);
                      }
                    }));
    assertThat(heldAnswered).as("held calls answered before the alert arrived").isEmpty();
    System.out.printf(
        "[e2e] HANG-TO-ALERT %.1fs: LlmCallsStalled firing in Alertmanager %s (startsAt %s), no held"
            + " call answered yet%n",
        Duration.between(hangStart, arrived).toMillis() / 1000.0,
        arrived,
        alert.path("startsAt").asText());
    assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
    assertThat(alert.path("labels").path("service").asText()).isEqualTo("demo-app");
    assertThat(alert.path("annotations").path("observed").asText())
        .as("oldest age in flight")
        .matches("[0-9.eE+-]+");
    assertThat(alertEvents())
        .as("pipeline alert events")
        .anySatisfy(
            e -> {
              assertThat(e.path("kind").asText()).isEqualTo("stall");
              assertThat(e.path("state").asText()).isEqualTo("firing");
              assertThat(e.path("region").asText()).isEqualTo(hangRegion);
            });
    Http.delete(stack.simulatorUrl() + "/_sim/incidents");
  }

  private Optional<JsonNode> findAlert(
      String alertname, String kind, String provider, String region) {
    for (JsonNode a : stack.alertmanager.alerts()) {
      JsonNode l = a.path("labels");
      if (alertname.equals(l.path("alertname").asText())
          && kind.equals(l.path("kind").asText())
          && provider.equals(l.path("provider").asText())
          && region.equals(l.path("region").asText())
          && "active".equals(a.path("status").path("state").asText())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  private Optional<JsonNode> findAlert(boolean activeOnly) {
    for (JsonNode a : stack.alertmanager.alerts()) {
      JsonNode l = a.path("labels");
      if ("LlmLatencySpike".equals(l.path("alertname").asText())
          && matches(l)
          && (!activeOnly || "active".equals(a.path("status").path("state").asText()))) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  private boolean matches(JsonNode labels) {
    return "latency_spike".equals(labels.path("kind").asText())
        && provider.equals(labels.path("provider").asText())
        && region.equals(labels.path("region").asText());
  }

  private List<JsonNode> alertEvents() {
    List<JsonNode> out = new ArrayList<>();
    try {
      if (Files.exists(stack.alertsOut)) {
        for (String line : Files.readAllLines(stack.alertsOut)) {
          if (!line.isBlank()) {
            out.add(Http.JSON.readTree(line));
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("unreadable alert events " + stack.alertsOut, e);
    }
    return out;
  }

  private static Optional<JsonNode> first(JsonNode result) {
    return result.size() > 0 ? Optional.of(result.get(0)) : Optional.empty();
  }

  private static Set<String> labelValues(JsonNode result, String label) {
    Set<String> s = new HashSet<>();
    result.forEach(r -> s.add(r.path("metric").path(label).asText()));
    return s;
  }

  private static long windowSeconds() {
    return Long.parseLong(LlmStack.WINDOW.replace("s", ""));
  }
}
