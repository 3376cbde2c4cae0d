package io.llmobserve.e2e;

import io.llmobserve.testsupport.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole local path as real processes: simulator -> demo app with the agent -> pipeline
 * (embedded, java -jar) -> Prometheus (project rules) -> Alertmanager -> webhook receiver. Small
 * windows and a short detector warm-up keep a run within a few minutes.
 */
final class LlmStack implements AutoCloseable {
  /**
   * Pipeline window; detectors see one point per window and key. The p95 of a thin window is about
   * its slowest call (a stream or not), so windows must hold ~20 calls of the spiked key for a
   * stable baseline: 5s windows at 30 calls/s (~14% of them per Azure region).
   */
  static final String WINDOW = "5s";

  static final int WARMUP_WINDOWS = 10;
  static final int DEMO_RPS = 30;

  /** Slow calls pile up during a spike: room for them so the rest of the traffic keeps flowing. */
  static final int DEMO_CONCURRENCY = 64;

  final Path work;
  final Path alertsOut;
  final WebhookReceiver webhook;
  final AlertmanagerServer alertmanager;
  final ManagedProcess simulator;
  final int simulatorPort;
  final ManagedProcess pipeline;
  final int metricsPort;
  final PrometheusServer prometheus;
  final ManagedProcess demoApp;
  private final List<AutoCloseable> opened;

  private LlmStack(Builder b) {
    work = b.work;
    alertsOut = b.alertsOut;
    webhook = b.webhook;
    alertmanager = b.alertmanager;
    simulator = b.simulator;
    simulatorPort = b.simulatorPort;
    pipeline = b.pipeline;
    metricsPort = b.metricsPort;
    prometheus = b.prometheus;
    demoApp = b.demoApp;
    opened = b.opened;
  }

  /** Starts everything; on failure stops what was started and rethrows. */
  static LlmStack start(ProjectLayout layout, Path prometheusBin, Path alertmanagerBin)
      throws Exception {
    Builder b = new Builder();
    try {
      b.start(layout, prometheusBin, alertmanagerBin);
      return new LlmStack(b);
    } catch (Throwable t) {
      b.closeAll();
      throw t;
    }
  }

  String simulatorUrl() {
    return "http://127.0.0.1:" + simulatorPort;
  }

  ManagedProcess[] processes() {
    return new ManagedProcess[] {
      simulator, pipeline, prometheus.process, alertmanager.process, demoApp
    };
  }

  /** Tails of every log, for failure messages. */
  String logTails(int lines) {
    StringBuilder sb = new StringBuilder();
    for (ManagedProcess p : processes()) {
      sb.append("\n----- ")
          .append(p.name)
          .append(" (")
          .append(p.log)
          .append(") -----\n")
          .append(p.tail(lines));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    closeAll(opened);
  }

  private static void closeAll(List<AutoCloseable> opened) {
    // reverse start order: traffic first, servers last
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        System.out.println("[e2e] closing: " + e);
      }
    }
  }

  private static final class Builder {
    Path work;
    Path alertsOut;
    WebhookReceiver webhook;
    AlertmanagerServer alertmanager;
    ManagedProcess simulator;
    int simulatorPort;
    ManagedProcess pipeline;
    int metricsPort;
    PrometheusServer prometheus;
    ManagedProcess demoApp;
    final List<AutoCloseable> opened = new ArrayList<>();

    void start(ProjectLayout layout, Path prometheusBin, Path alertmanagerBin) throws Exception {
      Path simulatorJar = layout.simulatorJar();
      Path agentJar = layout.agentJar();
      Path demoJar = layout.demoAppJar();
      Path pipelineJar = layout.pipelineJar();
      work = ProjectLayout.workDir("stack");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

      webhook = track(new WebhookReceiver());
      alertmanager =
          track(
              AlertmanagerServer.start(
                  alertmanagerBin, work, AlertmanagerServer.fastWebhookConfig(webhook.url())));

      simulatorPort = Ports.freeLoopbackPort();
      simulator =
          track(
              ManagedProcess.start(
                  "simulator",
                  work,
                  List.of(
                      java,
                      "-Xmx256m",
                      "-jar",
                      simulatorJar.toString(),
                      "--port",
                      String.valueOf(simulatorPort),
                      "--seed",
                      "42"),
                  Map.of()));
      waitHttp("simulator", "http://127.0.0.1:" + simulatorPort + "/_sim/health", simulator);

      int otlpPort = Ports.freeLoopbackPort();
      metricsPort = Ports.freeLoopbackPort();
      alertsOut = work.resolve("alerts.jsonl");
      pipeline =
          track(
              ManagedProcess.start(
                  "pipeline",
                  work,
                  List.of(
                      java,
                      "-Xmx768m",
                      "-jar",
                      pipelineJar.toString(),
                      "--otlp-host",
                      "127.0.0.1",
                      "--otlp-port",
                      String.valueOf(otlpPort),
                      "--metrics-port",
                      String.valueOf(metricsPort),
                      "--window",
                      WINDOW,
                      "--out-of-orderness",
                      "1s",
                      "--idle-timeout",
                      "2s",
                      "--alerts-out",
                      alertsOut.toString(),
                      // a short warm-up; windows with few calls still count
                      "-D",
                      "detector.warmup.windows=" + WARMUP_WINDOWS,
                      "-D",
                      "detector.min.calls=3",
                      "-D",
                      "detector.close.windows=2",
                      // the demo app's spans arrive ~0.5 s after its in-flight metrics (bsp delay
                      // below)
                      "-D",
                      "detector.stall.completion.lag=1s"),
                  Map.of()));
      waitHttp("pipeline /metrics", "http://127.0.0.1:" + metricsPort + "/metrics", pipeline);

      prometheus =
          track(
              PrometheusServer.start(
                  prometheusBin,
                  work,
                  layout.ruleFiles(),
                  "127.0.0.1:" + metricsPort,
                  alertmanager.target()));

      demoApp =
          track(
              ManagedProcess.start(
                  "demo-app",
                  work,
                  List.of(
                      java,
                      "-Xmx512m",
                      "-javaagent:" + agentJar,
                      "-Dotel.service.name=demo-app",
                      "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + otlpPort,
                      "-Dotel.exporter.otlp.protocol=http/protobuf",
                      // in-flight calls (gen_ai.client.operation.active/oldest_age) every second:
                      // stall detection
                      "-Dotel.metric.export.interval=1000",
                      "-Dotel.logs.exporter=none",
                      "-Dotel.bsp.schedule.delay=500",
                      "-jar",
                      demoJar.toString(),
                      "--simulator",
                      "http://127.0.0.1:" + simulatorPort,
                      "--rps",
                      String.valueOf(DEMO_RPS),
                      "--concurrency",
                      String.valueOf(DEMO_CONCURRENCY)),
                  Map.of()));
    }

    private <T extends AutoCloseable> T track(T c) {
      opened.add(c);
      return c;
    }

    void closeAll() {
      LlmStack.closeAll(opened);
    }

    private static void waitHttp(String what, String url, ManagedProcess p) {
      Poll.untilUp(what + " up", url, Duration.ofSeconds(90), p);
    }
  }
}
