package io.llmobserve.pipeline.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A NAB-format series: a {@code timestamp,value} header, then one row per window. Rows are kept by
 * position: timestamps are carried through as text and may repeat (daylight-saving hours).
 */
public final class NabSeries {
  public final List<String> timestamps;
  public final double[] values;

  public NabSeries(List<String> timestamps, double[] values) {
    this.timestamps = timestamps;
    this.values = values;
  }

  /**
   * The row's wall-clock time as if it were UTC (NAB times are local, without zone: only the time
   * of day matters, for the detector's daily profile); Long.MIN_VALUE if unparseable.
   */
  public long timeMillis(int row) {
    String t = timestamps.get(row).replace('T', ' ');
    try {
      if (t.length() > 19) {
        t = t.substring(0, 19);
      }
      return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      return Long.MIN_VALUE;
    }
  }

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  public int size() {
    return values.length;
  }

  public static NabSeries read(Path file) throws IOException {
    List<String> ts = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new IOException(file + ": empty file");
      }
      String[] cols = header.trim().split(",");
      int tCol = indexOf(cols, "timestamp", 0);
      int vCol = indexOf(cols, "value", 1);
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        if (f.length <= Math.max(tCol, vCol)) {
          throw new IOException(
              file + ":" + lineNo + ": expected timestamp,value, got '" + line + "'");
        }
        ts.add(f[tCol].trim());
        String raw = f[vCol].trim();
        double v;
        try {
          v = raw.isEmpty() ? Double.NaN : Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw new IOException(file + ":" + lineNo + ": value is not a number: '" + raw + "'");
        }
        vs.add(v);
      }
    }
    double[] values = new double[vs.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = vs.get(i);
    }
    return new NabSeries(ts, values);
  }

  private static int indexOf(String[] cols, String name, int fallback) {
    for (int i = 0; i < cols.length; i++) {
      if (cols[i].trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return fallback;
  }
}
