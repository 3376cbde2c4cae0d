package io.llmobserve.pipeline.replay;

import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.detect.SpikeDetector;
import io.llmobserve.pipeline.detect.SpikeParams;
import io.llmobserve.pipeline.detect.SpikeState;
import io.llmobserve.pipeline.detect.Verdict;
import io.llmobserve.pipeline.detect.WindowKind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar llm-pipeline.jar replay <file.csv>... --out <dir>}: runs the shared detector
 * core over NAB-format series. A subcommand of the job's command line ({@code PipelineCommand}).
 *
 * <p>Each row is one window's value, judged by the same {@link SpikeDetector} every window kind of
 * the job uses, with the core's generic settings ({@link DetectorSettings#genericParams()}: both
 * directions, no unit floors, since a NAB series' meaning is unknown). {@code --set threshold=5}
 * etc. override them, as unprefixed {@code detector.*} keys do in the job; {@code --kind latency}
 * judges with a job kind's settings instead (direction and floors). Output: {@code <dir>/<same
 * name>} with {@code timestamp,value,anomaly_score,alert}, one row per input row in the same order;
 * {@code alert} is 1 only on the row where an alert opens (an onset), {@code anomaly_score} = 1 -
 * 10^-evidence.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Run the detector core over NAB-format CSV files (timestamp,value).")
public final class ReplayCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE.csv", description = "input series")
  List<Path> files = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
  Path out;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "detector setting, as the job's detector.* keys without the prefix")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description =
          "generic (default) or a window kind's settings prefix: latency, ttft, tokens, errors, throttling, cost")
  String kind = "generic";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    SpikeParams params;
    try {
      params = replayParams(DetectorSettings.fromMap(settings), kind);
    } catch (IllegalArgumentException e) {
      err.println("replay: " + e.getMessage());
      return 2;
    }
    try {
      Files.createDirectories(out);
      for (Path file : files) {
        NabSeries series = NabSeries.read(file);
        Path target = out.resolve(file.getFileName().toString());
        if (target.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
          err.println("replay: refusing to overwrite the input " + file);
          return 2;
        }
        int alerts = write(series, score(series, params), new SpikeDetector(params), target);
        err.println(
            "replay: "
                + file.getFileName()
                + ": "
                + series.size()
                + " rows, "
                + alerts
                + " alerts -> "
                + target);
      }
    } catch (IOException e) {
      err.println("replay: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  /** The core's generic parameters. */
  public static SpikeParams replayParams(DetectorSettings settings) {
    return settings.genericParams();
  }

  /** "generic" or a window kind's settings prefix (latency, ttft, tokens, errors, ...). */
  public static SpikeParams replayParams(DetectorSettings settings, String kind) {
    if (kind == null || kind.equals("generic")) {
      return settings.genericParams();
    }
    for (WindowKind k : WindowKind.values()) {
      if (k.settingsPrefix.equals(kind)) {
        return settings.spikeParams(k);
      }
    }
    throw new IllegalArgumentException(
        "--kind must be generic, latency, ttft, tokens, errors, throttling or cost, got '"
            + kind
            + "'");
  }

  /** One verdict per row, in order: exactly what a job operator with these settings would say. */
  public static List<Verdict> score(NabSeries series, SpikeParams params) {
    SpikeDetector detector = new SpikeDetector(params);
    SpikeState state = detector.newState();
    List<Verdict> verdicts = new ArrayList<>(series.size());
    for (int i = 0; i < series.size(); i++) {
      verdicts.add(detector.step(state, series.values[i], true, series.timeMillis(i)));
    }
    return verdicts;
  }

  static int write(NabSeries series, List<Verdict> verdicts, SpikeDetector detector, Path target)
      throws IOException {
    int alerts = 0;
    try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      w.write("timestamp,value,anomaly_score,alert\n");
      for (int i = 0; i < series.size(); i++) {
        Verdict v = verdicts.get(i);
        boolean alert = v.opened();
        alerts += alert ? 1 : 0;
        double s = detector.normalisedScore(v.score);
        w.write(series.timestamps.get(i));
        w.write(',');
        w.write(formatValue(series.values[i]));
        w.write(',');
        w.write(String.format(Locale.ROOT, "%.6f", s));
        w.write(alert ? ",1\n" : ",0\n");
      }
    }
    return alerts;
  }

  private static String formatValue(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }
}
