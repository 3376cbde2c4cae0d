package io.llmobserve.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped operations configs load into the real servers: Prometheus evaluates every alert rule
 * without error, Alertmanager starts with alerts/alertmanager.yml, and every dashboard query is
 * valid PromQL for Prometheus. Needs no pipeline, so it pins the configs on its own.
 */
class OperationsConfigsLoadTest {
  private final ProjectLayout layout = ProjectLayout.detect();

  @Test
  void prometheusEvaluatesEveryRuleAndAcceptsEveryDashboardQuery() throws Exception {
    Path bin = ExternalTools.prometheus();
    Path work = ProjectLayout.workDir("configs-prometheus");
    int expectedRules = countAlertRules(layout.ruleFiles());
    try (PrometheusServer prom =
        PrometheusServer.start(bin, work, layout.ruleFiles(), null, null)) {
      List<String> unhealthy =
          Poll.until(
              "every rule evaluated",
              Duration.ofSeconds(30),
              Duration.ofMillis(500),
              () -> {
                List<String> bad = new ArrayList<>();
                int evaluated = 0;
                for (JsonNode g : prom.rules()) {
                  for (JsonNode r : g.path("rules")) {
                    String health = r.path("health").asText();
                    if (!"unknown".equals(health)) { // "unknown" = not evaluated yet
                      evaluated++;
                    }
                    if ("err".equals(health)) {
                      bad.add(r.path("name").asText() + ": " + r.path("lastError").asText());
                    }
                  }
                }
                return evaluated == expectedRules ? Optional.of(bad) : Optional.empty();
              },
              () -> prom.process.tail(30),
              prom.process);
      assertThat(unhealthy).as("rules with evaluation errors").isEmpty();

      List<String> invalid = new ArrayList<>();
      var subs = DashboardQueries.defaultSubstitutions();
      for (DashboardQueries.Query q : DashboardQueries.load(layout.dashboardsDir(), subs)) {
        try {
          prom.query(q.promql());
        } catch (RuntimeException e) {
          invalid.add(q + " -> " + e.getMessage());
        }
      }
      for (DashboardQueries.LabelValues v :
          DashboardQueries.variables(layout.dashboardsDir(), subs)) {
        Http.Response r =
            Http.get(
                prom.url()
                    + "/api/v1/label/"
                    + v.label()
                    + "/values?match[]="
                    + Http.enc(v.match()));
        if (r.status() != 200) {
          invalid.add(v + " -> " + r.body());
        }
      }
      assertThat(invalid).as("dashboard queries Prometheus rejects").isEmpty();
    }
  }

  @Test
  void alertmanagerStartsWithTheShippedConfig() throws Exception {
    Path bin = ExternalTools.alertmanager();
    Path work = ProjectLayout.workDir("configs-alertmanager");
    try (AlertmanagerServer am = AlertmanagerServer.start(bin, work, layout.alertmanagerConfig())) {
      JsonNode status = Http.get(am.url() + "/api/v2/status").json();
      String loaded = status.path("config").path("original").asText();
      assertThat(loaded).contains("llm-webhook").contains("group_by");
      assertThat(Files.readString(layout.alertmanagerConfig())).contains("receiver: llm-webhook");
    }
  }

  private static int countAlertRules(List<Path> files) throws Exception {
    Pattern alert = Pattern.compile("^\\s*- alert: ", Pattern.MULTILINE);
    int n = 0;
    for (Path f : files) {
      Matcher m = alert.matcher(Files.readString(f));
      while (m.find()) {
        n++;
      }
    }
    assertThat(n).isPositive();
    return n;
  }
}
