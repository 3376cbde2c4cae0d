package io.llmobserve.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmobserve.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real Alertmanager process (clustering off) with a given configuration file. */
final class AlertmanagerServer implements AutoCloseable {
  final int port;
  final ManagedProcess process;

  private AlertmanagerServer(int port, ManagedProcess process) {
    this.port = port;
    this.process = process;
  }

  /**
   * A test configuration: short group waits and one webhook receiver that also gets resolutions.
   */
  static String fastWebhookConfig(String webhookUrl) {
    return """
        route:
          receiver: webhook
          group_by: [alertname, kind, service, provider, region]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: webhook
            webhook_configs:
              - url: '%s'
                send_resolved: true
        """
        .formatted(webhookUrl);
  }

  static AlertmanagerServer start(Path binary, Path workDir, String configYaml) throws IOException {
    Path config = workDir.resolve("alertmanager.yml");
    Files.writeString(config, configYaml);
    return start(binary, workDir, config);
  }

  static AlertmanagerServer start(Path binary, Path workDir, Path config) throws IOException {
    int port = Ports.freeLoopbackPort();
    List<String> cmd =
        List.of(
            binary.toString(),
            "--config.file=" + config,
            "--storage.path=" + workDir.resolve("alertmanager-data"),
            "--web.listen-address=127.0.0.1:" + port,
            "--cluster.listen-address=", // no gossip port: parallel runs must not collide
            "--log.level=debug");
    ManagedProcess p = ManagedProcess.start("alertmanager", workDir, cmd, Map.of());
    AlertmanagerServer s = new AlertmanagerServer(port, p);
    Poll.untilUp("Alertmanager ready", s.url() + "/-/ready", Duration.ofSeconds(60), p);
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  /** GET /api/v2/alerts (active, silenced and inhibited; resolved alerts drop out of this list). */
  JsonNode alerts() {
    return Http.get(url() + "/api/v2/alerts").json();
  }

  @Override
  public void close() {
    process.close();
  }
}
