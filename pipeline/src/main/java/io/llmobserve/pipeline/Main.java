package io.llmobserve.pipeline;

/**
 * Entry point of llm-pipeline.jar ({@code java -jar}) and llm-pipeline-job.jar ({@code flink run}):
 * the job, or the {@code replay} subcommand.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = PipelineCommand.commandLine().execute(args);
    // Exit only on failure: under `flink run` main() runs inside the client, whose JVM is not ours.
    // (replay ends here too; its JVM has nothing else to wait for.)
    if (code != 0) {
      System.exit(code);
    }
  }
}
