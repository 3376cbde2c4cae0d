package io.llmobserve.pipeline;

import io.llmobserve.pipeline.replay.ReplayCommand;
import java.util.Arrays;
import picocli.CommandLine;

/** Entry point of llm-pipeline.jar: {@code replay ...} or the job (embedded or cluster). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("replay")) {
      System.exit(ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    int code =
        new CommandLine(new PipelineCommand())
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  if (e instanceof IllegalArgumentException) {
                    cmd.getErr().println("llm-pipeline: " + e.getMessage());
                    return 2;
                  }
                  throw e;
                })
            .execute(args);
    // Exit only on failure: under `flink run` main() runs inside the client, whose JVM is not ours.
    if (code != 0) {
      System.exit(code);
    }
  }
}
