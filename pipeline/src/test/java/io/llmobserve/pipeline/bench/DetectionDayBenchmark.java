package io.llmobserve.pipeline.bench;

import io.llmobserve.pipeline.detect.DetectorSettings;
import java.util.Locale;

/**
 * Detection quality on a simulated day ({@link TrafficDay}): per incident detected or missed and
 * the delay in event time; false alerts per key-day on the clean keys.
 *
 * <pre>
 * mvn -q -pl pipeline test-compile
 * java -cp "pipeline/target/test-classes:pipeline/target/classes:$(cat pipeline/target/test-classpath.txt)" \
 *   io.llmobserve.pipeline.bench.DetectionDayBenchmark [hours=24] [cleanKeys=8] [seeds=3] [startHour=0]
 * </pre>
 *
 * Goal: every incident caught within three windows, zero false alerts.
 */
public final class DetectionDayBenchmark {
  private DetectionDayBenchmark() {}

  public static void main(String[] args) {
    long hours = args.length > 0 ? Long.parseLong(args[0]) : 24;
    int clean = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int startHour = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    DetectorSettings settings = DetectorSettings.defaults();
    int caught = 0;
    int within3 = 0;
    int total = 0;
    long falseClean = 0;
    double keyDays = 0;
    for (int seed = 1; seed <= seeds; seed++) {
      long t0 = System.nanoTime();
      TrafficDay day = new TrafficDay(startHour, hours, clean, seed);
      TrafficDay.Result r = day.run(settings);
      System.out.printf(
          Locale.ROOT,
          "seed %d: %d windows, %d calls, %.1f s%n",
          seed,
          r.windows(),
          r.spans(),
          (System.nanoTime() - t0) / 1e9);
      for (TrafficDay.Detection d : r.detections()) {
        total++;
        if (d.detected()) {
          caught++;
          within3 += d.delayWindows() <= 3 ? 1 : 0;
          System.out.printf(
              Locale.ROOT,
              "  %-16s detected after %5.0f s event time (%d windows)%n",
              d.incident().kind().kind,
              d.delayMillis() / 1000.0,
              d.delayWindows());
        } else {
          System.out.printf(Locale.ROOT, "  %-16s MISSED%n", d.incident().kind().kind);
        }
      }
      for (TrafficDay.FalseAlert f : r.falseAlerts()) {
        System.out.printf(
            Locale.ROOT,
            "  false alert %s %s at +%.2f h: %s%n",
            f.key(),
            f.kind().kind,
            (f.windowStart() - TrafficDay.DAY_START) / 3.6e6,
            f.detail());
      }
      falseClean += r.falseAlerts().stream().filter(f -> f.key().startsWith("clean")).count();
      keyDays += r.cleanKeys() * r.days();
    }
    System.out.printf(
        Locale.ROOT,
        "TOTAL: %d/%d incidents detected, %d within three windows; %d false alerts on clean keys = %.3f per key-day (%.1f key-days)%n",
        caught,
        total,
        within3,
        falseClean,
        falseClean / keyDays,
        keyDays);
  }
}
