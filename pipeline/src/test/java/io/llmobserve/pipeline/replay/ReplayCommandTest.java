package io.llmobserve.pipeline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.PipelineCommand;
import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.detect.SpikeDetector;
import io.llmobserve.pipeline.detect.SpikeParams;
import io.llmobserve.pipeline.detect.SpikeState;
import io.llmobserve.pipeline.detect.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

  /** As users start it: {@code llm-pipeline.jar replay ARGS}, through the job's command line. */
  private static int replay(String[] args) {
    String[] all = new String[args.length + 1];
    all[0] = "replay";
    System.arraycopy(args, 0, all, 1, args.length);
    return PipelineCommand.commandLine().execute(all);
  }

  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** 5-minute rows, lognormal noise, a 6-row spike at {@code spikeAt}, a repeated hour. */
  private static List<String> series(int rows, int spikeAt, long seed) {
    Random r = new Random(seed);
    List<String> lines = new ArrayList<>();
    lines.add("timestamp,value");
    LocalDateTime t = LocalDateTime.of(2014, 3, 1, 0, 0);
    for (int i = 0; i < rows; i++) {
      double v = 10 * Math.exp(0.1 * r.nextGaussian()) * (i >= spikeAt && i < spikeAt + 6 ? 4 : 1);
      lines.add(t.format(TS) + "," + String.format(Locale.ROOT, "%.4f", v));
      // a DST-like repeat: rows 200..211 repeat the previous hour's timestamps
      t = (i == 211) ? t.minusHours(1).plusMinutes(5) : t.plusMinutes(5);
    }
    return lines;
  }

  @Test
  void writesOneRowPerInputRowInOrderWithAlertOnlyWhereItOpens(@TempDir Path dir)
      throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Path csv = in.resolve("series.csv");
    List<String> input = series(600, 400, 1);
    Files.write(csv, input);
    Path out = dir.resolve("out");

    int rc = replay(new String[] {csv.toString(), "--out", out.toString()});

    assertThat(rc).isZero();
    List<String> output = Files.readAllLines(out.resolve("series.csv"));
    assertThat(output.get(0)).isEqualTo("timestamp,value,anomaly_score,alert");
    assertThat(output).hasSize(input.size());
    List<Integer> alertRows = new ArrayList<>();
    for (int i = 1; i < input.size(); i++) {
      String[] inRow = input.get(i).split(",");
      String[] outRow = output.get(i).split(",");
      assertThat(outRow).hasSize(4);
      assertThat(outRow[0]).isEqualTo(inRow[0]); // same timestamp, same position (repeats kept)
      assertThat(Double.parseDouble(outRow[1])).isEqualTo(Double.parseDouble(inRow[1]));
      assertThat(Double.parseDouble(outRow[2])).isBetween(0.0, 1.0);
      assertThat(outRow[3]).isIn("0", "1");
      if (outRow[3].equals("1")) {
        alertRows.add(i - 1);
      }
    }
    long repeated = input.stream().skip(1).map(l -> l.split(",")[0]).distinct().count();
    assertThat(repeated).isLessThan(input.size() - 1); // the fixture really repeats timestamps
    // One alert, raised on the row where it opens: the first spike row (a fourfold jump in a
    // 10% noise series is convincing at once); the spike's end does not re-open it.
    assertThat(alertRows).containsExactly(400);
    // The anomaly score is high while the spike lasts, low before it.
    assertThat(Double.parseDouble(output.get(1 + 401).split(",")[2])).isGreaterThan(0.5);
    assertThat(Double.parseDouble(output.get(1 + 300).split(",")[2])).isLessThan(0.5);
  }

  @Test
  void replayRunsExactlyTheDetectorCoreWithTheGenericSettings(@TempDir Path dir)
      throws IOException {
    Path csv = dir.resolve("a.csv");
    Files.write(csv, series(500, 300, 2));
    NabSeries s = NabSeries.read(csv);
    SpikeParams p = DetectorSettings.defaults().genericParams();
    List<Verdict> replay =
        ReplayCommand.score(s, ReplayCommand.replayParams(DetectorSettings.defaults()));
    SpikeDetector d = new SpikeDetector(p);
    SpikeState st = d.newState();
    for (int i = 0; i < s.size(); i++) {
      Verdict v = d.step(st, s.values[i], true, s.timeMillis(i));
      assertThat(replay.get(i).score).isEqualTo(v.score);
      assertThat(replay.get(i).transition).isEqualTo(v.transition);
    }
  }

  @Test
  void settingsOverridesAreApplied(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("b.csv");
    Files.write(csv, series(600, 400, 3));
    Path out = dir.resolve("out");
    int rc =
        replay(new String[] {csv.toString(), "--out", out.toString(), "--set", "threshold=1000"});
    assertThat(rc).isZero();
    assertThat(Files.readAllLines(out.resolve("b.csv"))).noneMatch(l -> l.endsWith(",1"));
  }

  @Test
  void badArgumentsGiveNonZeroExitCodes(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("c.csv");
    Files.write(csv, series(50, 10, 4));
    assertThat(replay(new String[] {csv.toString()})).isNotZero(); // no --out
    assertThat(
            replay(
                new String[] {
                  dir.resolve("missing.csv").toString(), "--out", dir.resolve("o").toString()
                }))
        .isNotZero();
    assertThat(
            replay(
                new String[] {
                  csv.toString(),
                  "--out",
                  dir.resolve("o").toString(),
                  "--set",
                  "latency.threshold=x"
                }))
        .isEqualTo(2);
    assertThat(replay(new String[] {csv.toString(), "--out", dir.toString()}))
        .as("refuses to overwrite its input")
        .isEqualTo(2);
    Files.write(dir.resolve("bad.csv"), List.of("timestamp,value", "2014-01-01 00:00:00,abc"));
    assertThat(
            replay(
                new String[] {
                  dir.resolve("bad.csv").toString(), "--out", dir.resolve("o").toString()
                }))
        .isEqualTo(1);
  }
}
