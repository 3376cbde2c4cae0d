package io.llmobserve.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmobserve.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus process with the project's alert rules, a 1s scrape and evaluation interval,
 * and a short alert resend delay, so an anomaly reaches Alertmanager within seconds.
 */
final class PrometheusServer implements AutoCloseable {
  final int port;
  final ManagedProcess process;

  private PrometheusServer(int port, ManagedProcess process) {
    this.port = port;
    this.process = process;
  }

  /**
   * @param pipelineTarget host:port of the pipeline's /metrics, or null for none
   * @param alertmanagerTarget host:port of Alertmanager, or null for none
   */
  static PrometheusServer start(
      Path binary,
      Path workDir,
      List<Path> ruleFiles,
      String pipelineTarget,
      String alertmanagerTarget)
      throws IOException {
    int port = Ports.freeLoopbackPort();
    StringBuilder cfg =
        new StringBuilder()
            .append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
            .append("rule_files:\n");
    for (Path r : ruleFiles) {
      cfg.append("  - '").append(r.toAbsolutePath()).append("'\n");
    }
    if (alertmanagerTarget != null) {
      cfg.append("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['")
          .append(alertmanagerTarget)
          .append("']\n");
    }
    cfg.append("scrape_configs:\n");
    if (pipelineTarget != null) {
      // job name "llm-pipeline": the pipeline health rules select it
      cfg.append("  - job_name: llm-pipeline\n    static_configs:\n      - targets: ['")
          .append(pipelineTarget)
          .append("']\n");
    }
    cfg.append("  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:")
        .append(port)
        .append("']\n");
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, cfg);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--rules.alert.resend-delay=5s",
                "--log.level=info"));
    ManagedProcess p = ManagedProcess.start("prometheus", workDir, cmd, Map.of());
    PrometheusServer s = new PrometheusServer(port, p);
    Poll.untilUp("Prometheus ready", s.url() + "/-/ready", Duration.ofSeconds(60), p);
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Instant query; returns data.result (an array), throws on a query error. */
  JsonNode query(String promql) {
    Http.Response r = Http.postForm(url() + "/api/v1/query", "query=" + Http.enc(promql));
    JsonNode body = r.json();
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalStateException(
          "query failed (" + r.status() + "): " + promql + " -> " + r.body());
    }
    return body.path("data").path("result");
  }

  JsonNode rules() {
    return Http.get(url() + "/api/v1/rules").json().path("data").path("groups");
  }

  @Override
  public void close() {
    process.close();
  }
}
