package io.llmobserve.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users meet it: one line naming the option and the value, exit code 2. */
class PipelineCommandTest {
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    return PipelineCommand.commandLine()
        .setErr(new PrintWriter(err))
        .setOut(new PrintWriter(out))
        .execute(args);
  }

  @Test
  void badDurationIsAClearErrorNotAStackTrace() {
    assertThat(run("--window", "abc")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "llm-pipeline: Invalid value for option '--window': 'abc' is not a duration like"
                + " 500ms, 10s, 5m, 1h or 1d (a bare number = ms)")
        .doesNotContain("Usage:", "\tat ");
  }

  @Test
  void badNumberNamesTheOptionAndTheValue() {
    assertThat(run("--otlp-port", "43l8")).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value for option '--otlp-port': '43l8' is not an int");
  }

  @Test
  void outOfRangeNumberNamesTheOptionAndTheValue() {
    assertThat(run("--otlp-port", "70000")).isEqualTo(2);
    assertThat(err.toString())
        .contains("llm-pipeline: --otlp-port must be an integer between -1 and 65535, got '70000'");
  }

  @Test
  void unknownOptionSuggestsTheNearestOne() {
    assertThat(run("--windw", "3s")).isEqualTo(2);
    assertThat(err.toString())
        .contains("Unknown options: '--windw', '3s'", "Possible solutions: --window");
  }

  @Test
  void unknownSetKeyIsRejected() {
    assertThat(run("-D", "windw=3s")).isEqualTo(2);
    assertThat(err.toString()).contains("-D windw: unknown key");
  }

  @Test
  void badValueGivenWithDIsReportedAsTheOption() {
    assertThat(run("-D", "window=soon")).isEqualTo(2);
    assertThat(err.toString()).contains("'--window'", "'soon'");
  }

  @Test
  void badValueInTheConfigFileIsReportedAsTheOption(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.properties");
    Files.writeString(f, "metrics-port = lots\n");
    assertThat(run("--config", f.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("'--metrics-port'", "'lots'");
  }

  @Test
  void unreadableConfigFileIsAClearError(@TempDir Path dir) {
    assertThat(run("--config", dir.resolve("missing.properties").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--config", "missing.properties").doesNotContain("\tat ");
  }

  @Test
  void badStallSettingIsAClearError() {
    // checked before anything starts, by the stall detector's own settings
    assertThat(run("-D", "detector.stall.min.age=soon")).isEqualTo(2);
    assertThat(err.toString()).contains("detector.stall.min.age", "'soon'");
  }

  @Test
  void badDetectorDurationIsAClearError() {
    assertThat(run("-D", "detector.drift.stable=30 mins later")).isEqualTo(2);
    assertThat(err.toString()).contains("drift.stable", "'30 mins later'");
  }

  @Test
  void kafkaNeedsABootstrapServer() {
    assertThat(run("--source", "kafka")).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-bootstrap");
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
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
            "--alerts-topic",
            "Default: 10s",
            "replay");
  }

  @Test
  void replayIsASubcommand() {
    assertThat(run("replay", "--help")).isZero();
    assertThat(out.toString()).contains("--out", "--kind");
  }
}
