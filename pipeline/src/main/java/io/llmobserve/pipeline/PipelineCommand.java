package io.llmobserve.pipeline;

import io.llmobserve.pipeline.config.ConfigFileDefaults;
import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.config.PipelineOptions;
import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.detect.StallSettings;
import io.llmobserve.pipeline.job.ClusterPipeline;
import io.llmobserve.pipeline.job.EmbeddedPipeline;
import io.llmobserve.pipeline.replay.ReplayCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line: the job (embedded or cluster) with the typed {@link PipelineOptions}, and the
 * {@code replay} subcommand. The same entry under {@code java -jar} and {@code flink run}.
 */
@Command(
    name = "llm-pipeline",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    abbreviateSynopsis = true,
    usageHelpWidth = 100,
    defaultValueProvider = ConfigFileDefaults.class,
    subcommands = ReplayCommand.class,
    description = {
      "llm-observe pipeline: LLM spans in, Prometheus metrics and anomaly alerts out.",
      "  java -jar llm-pipeline.jar                      embedded: OTLP receiver + local Flink",
      "  flink run llm-pipeline-job.jar --source kafka --kafka-bootstrap host:9092",
      "  java -jar llm-pipeline.jar replay <file.csv>... --out <dir>",
      "Every option is also a key of the --config properties file and of -D (name without --).",
      "Durations: 500ms, 10s, 5m, 1h, 1d; a bare number is milliseconds.",
    },
    sortOptions = false)
public final class PipelineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PipelineOptions options;

  /**
   * The command line as users get it: a bad option or value prints one line naming the option and
   * the value (plus picocli's suggestions for a misspelt name), not the whole help; exit code 2.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new PipelineCommand())
        .setParameterExceptionHandler(PipelineCommand::usageError)
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof IllegalArgumentException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
                return 2;
              }
              throw e;
            });
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandName() + ": " + PipelineConfig.message(e));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return 2;
  }

  @Override
  public Integer call() throws Exception {
    PipelineConfig cfg;
    try {
      cfg = PipelineConfig.of(spec.commandLine(), options);
      // fail fast on bad detector.* values (stall.* are the stall detector's own)
      DetectorSettings.fromMap(StallSettings.withoutStallKeys(cfg.detector));
      StallSettings.fromMap(cfg.detector);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(spec.name() + ": " + e.getMessage());
      return 2;
    }
    if (cfg.source.equals("kafka")) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      ClusterPipeline.build(env, cfg, "llm-observe-cluster");
      System.out.printf(
          "llm-observe: reading %s from %s, alerts to %s; /metrics on the metrics-sink TaskManager port %d%n",
          cfg.kafkaTopic,
          cfg.kafkaBootstrap,
          cfg.alertsDelivery.equals("none") ? cfg.alertsOut : cfg.alertsTopic,
          cfg.metricsPort);
      env.execute("llm-observe (kafka)");
      return 0;
    }
    return runEmbedded(cfg);
  }

  private static int runEmbedded(PipelineConfig cfg) throws Exception {
    System.out.println(
        "llm-observe: starting embedded pipeline (window " + cfg.resolved.get("window") + ") ...");
    EmbeddedPipeline p = EmbeddedPipeline.start(cfg);
    cfg = p.config();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              System.out.println("llm-observe: stopping ...");
              try {
                p.close();
              } catch (Exception ignored) {
                // exiting anyway
              }
              stopped.countDown();
            },
            "llm-observe-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.printf(
        """
        llm-observe: running.
          OTLP/HTTP traces in : http://127.0.0.1:%d/v1/traces   (agent: -Dotel.exporter.otlp.endpoint=http://127.0.0.1:%d -Dotel.exporter.otlp.protocol=http/protobuf)
          Prometheus metrics  : http://127.0.0.1:%d/metrics
          alert events        : %s
          checkpoints         : %s%s
        Ctrl-C to stop.
        """,
        p.otlpPort(),
        p.otlpPort(),
        p.metricsPort(),
        cfg.alertsOut.equals("-") ? "stdout (JSON lines)" : cfg.alertsOut,
        cfg.checkpointDir,
        cfg.restoreFrom.isBlank() ? " (fresh start)" : " (resumed from " + cfg.restoreFrom + ")");
    try {
      p.job().getJobExecutionResult().get();
    } catch (Exception e) {
      if (stopped.getCount() > 0) {
        System.err.println("llm-observe: job failed: " + e.getMessage());
        return 1;
      }
    }
    stopped.await();
    return 0;
  }
}
