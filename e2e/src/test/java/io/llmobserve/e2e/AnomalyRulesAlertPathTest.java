package io.llmobserve.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The project's rules in a real Prometheus and a real Alertmanager, fed by a static /metrics target
 * in the pipeline's exposition format: an open anomaly becomes an Alertmanager alert with its key
 * labels and the score/observed/baseline annotations (template queries evaluated by the real
 * server), and resolves when the gauge drops to 0. Independent of the detectors' tuning.
 */
class AnomalyRulesAlertPathTest {
  private static final String KEY =
      "service=\"checkout\",provider=\"azure.ai.openai\",model=\"gpt-4o-2024-11-20\",region=\"Sweden Central\","
          + "operation=\"chat\"";

  @Test
  void openAnomalyReachesAlertmanagerWithScoreObservedBaselineAndResolves() throws Exception {
    Path prometheusBin = ExternalTools.prometheus();
    Path alertmanagerBin = ExternalTools.alertmanager();
    Path work = ProjectLayout.workDir("anomaly-rules");
    ProjectLayout layout = ProjectLayout.detect();
    try (StaticMetricsTarget target = new StaticMetricsTarget();
        WebhookReceiver webhook = new WebhookReceiver();
        AlertmanagerServer am =
            AlertmanagerServer.start(
                alertmanagerBin, work, AlertmanagerServer.fastWebhookConfig(webhook.url()));
        PrometheusServer prom =
            PrometheusServer.start(
                prometheusBin, work, layout.ruleFiles(), target.target(), am.target())) {
      target.set(exposition(1, 6.5, 2.75, 0.8));
      long start = System.nanoTime();
      JsonNode alert =
          Poll.until(
              "LlmTtftRegression in Alertmanager",
              Duration.ofSeconds(60),
              Duration.ofMillis(200),
              () -> find(am, "LlmTtftRegression"),
              () -> prom.process.tail(20) + am.process.tail(20),
              prom.process,
              am.process);
      System.out.printf("[e2e] gauge -> Alertmanager: %.1fs%n", (System.nanoTime() - start) / 1e9);

      JsonNode labels = alert.path("labels");
      assertThat(labels.path("kind").asText()).isEqualTo("ttft_regression");
      assertThat(labels.path("service").asText()).isEqualTo("checkout");
      assertThat(labels.path("provider").asText()).isEqualTo("azure.ai.openai");
      assertThat(labels.path("model").asText()).isEqualTo("gpt-4o-2024-11-20");
      assertThat(labels.path("region").asText()).isEqualTo("Sweden Central");
      assertThat(labels.path("operation").asText()).isEqualTo("chat");
      assertThat(labels.path("severity").asText()).isEqualTo("warning");
      JsonNode ann = alert.path("annotations");
      assertThat(ann.path("score").asText()).isEqualTo("6.50");
      assertThat(ann.path("observed").asText()).isEqualTo("2.75");
      assertThat(ann.path("baseline").asText()).isEqualTo("0.8");
      assertThat(ann.path("summary").asText())
          .contains("checkout", "azure.ai.openai/gpt-4o-2024-11-20", "Sweden Central");
      // only the open kind alerts: the closed latency_spike of the same key does not
      assertThat(find(am, "LlmLatencySpike")).isEmpty();

      // Alertmanager sends a resolution only for a group it notified as firing: wait for that first
      Poll.until(
          "firing notification",
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          () ->
              webhook.notifications().stream()
                      .anyMatch(n -> "firing".equals(n.path("status").asText()))
                  ? Optional.of(true)
                  : Optional.empty(),
          () -> am.process.tail(20),
          am.process);

      target.set(exposition(0, 0.4, 0.9, 0.8));
      Poll.until(
          "LlmTtftRegression resolved",
          Duration.ofSeconds(60),
          Duration.ofMillis(200),
          () -> find(am, "LlmTtftRegression").isPresent() ? Optional.empty() : Optional.of(true),
          () -> am.process.tail(20),
          prom.process,
          am.process);
      Poll.until(
          "resolved notification",
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          () ->
              webhook.notifications().stream()
                      .anyMatch(n -> "resolved".equals(n.path("status").asText()))
                  ? Optional.of(true)
                  : Optional.empty(),
          () -> webhook.notifications().toString());
    }
  }

  private static String exposition(int active, double score, double observed, double baseline) {
    return """
        # TYPE llm_anomaly_active gauge
        llm_anomaly_active{kind="ttft_regression",%1$s} %2$d
        llm_anomaly_active{kind="latency_spike",%1$s} 0
        # TYPE llm_anomaly_score gauge
        llm_anomaly_score{kind="ttft_regression",%1$s} %3$s
        llm_anomaly_score{kind="latency_spike",%1$s} 0.3
        # TYPE llm_anomaly_observed gauge
        llm_anomaly_observed{kind="ttft_regression",%1$s} %4$s
        # TYPE llm_anomaly_baseline gauge
        llm_anomaly_baseline{kind="ttft_regression",%1$s} %5$s
        """
        .formatted(KEY, active, score, observed, baseline);
  }

  private static Optional<JsonNode> find(AlertmanagerServer am, String alertname) {
    for (JsonNode a : am.alerts()) {
      if (alertname.equals(a.path("labels").path("alertname").asText())
          && "active".equals(a.path("status").path("state").asText())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
