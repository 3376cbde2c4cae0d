package io.llmobserve.agenttests.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a forked scenario JVM did: exit code, output, and its parsed RESULT lines. */
public record ForkResult(
    int exitCode,
    boolean timedOut,
    String stdout,
    String stderr,
    Duration wallTime,
    Path stdoutFile) {

  public List<ScenarioResult> results() {
    List<ScenarioResult> out = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      ScenarioResult r = ScenarioResult.parse(line.strip());
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  public Map<String, ScenarioResult> resultsByLabel() {
    Map<String, ScenarioResult> m = new LinkedHashMap<>();
    for (ScenarioResult r : results()) {
      m.put(r.label(), r);
    }
    return m;
  }

  /** For assertion messages: where to look when a fork misbehaves. */
  public String describe() {
    String tail = stderr.length() > 4000 ? stderr.substring(stderr.length() - 4000) : stderr;
    return "exit="
        + exitCode
        + " timedOut="
        + timedOut
        + " wall="
        + wallTime.toMillis()
        + "ms log="
        + stdoutFile
        + "\n--- stdout ---\n"
        + stdout
        + "\n--- stderr (tail) ---\n"
        + tail;
  }
}
