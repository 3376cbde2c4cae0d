package io.llmobserve.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PipelineCommandTest {
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new PipelineCommand())
        .setErr(new PrintWriter(err))
        .setOut(new PrintWriter(out))
        .execute(args);
  }

  @Test
  void badDurationIsAClearErrorNotAStackTrace() {
    assertThat(run("--window", "abc")).isEqualTo(2);
    assertThat(err.toString())
        .contains("llm-pipeline: --window must be a duration like 10s, got 'abc'");
  }

  @Test
  void unknownSetKeyIsRejected() {
    assertThat(run("-D", "windw=3s")).isNotZero();
    assertThat(err.toString()).contains("windw");
  }

  @Test
  void badStallSettingIsAClearError() {
    // checked before anything starts, by the stall detector's own settings
    assertThat(run("-D", "detector.stall.min.age=soon")).isEqualTo(2);
    assertThat(err.toString()).contains("detector.stall.min.age");
  }

  @Test
  void kafkaNeedsABootstrapServer() {
    assertThat(run("--source", "kafka")).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-bootstrap");
  }

  @Test
  void helpListsEveryOption() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--otlp-port",
            "--metrics-port",
            "--window",
            "--alerts-out",
            "--pricing",
            "--max-models-per-provider",
            "--checkpoint-dir",
            "--kafka-topic",
            "--alerts-topic");
  }
}
