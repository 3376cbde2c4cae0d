package io.llmobserve.pipeline.replay;

/**
 * {@code java -jar llm-pipeline.jar replay <file.csv>... --out <dir>}: runs the latency
 * detector over NAB-format series. The job's main dispatches here when args[0] is "replay".
 *
 * <p>CONTRACT: {@link #run(String[])} gets the arguments after "replay" and returns an exit code.
 */
public final class ReplayCommand {
  private ReplayCommand() {}

  public static int run(String[] args) {
    System.err.println("replay: not implemented yet"); // TODO detectors engineer
    return 2;
  }
}
