package io.llmobserve.pipeline.sink;

import io.llmobserve.pipeline.model.AnomalyEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Embedded mode: alert events as JSON lines appended to a file, or to stdout for "-". Flushed per
 * line: alerts are rare and should be visible at once (tail -f).
 */
public class AlertFileSink implements Sink<AnomalyEvent> {
  private static final long serialVersionUID = 1L;
  private final String target;

  public AlertFileSink(String target) {
    this.target = target;
  }

  @Override
  public SinkWriter<AnomalyEvent> createWriter(WriterInitContext ctx) throws IOException {
    if (target == null || target.equals("-")) {
      return new Writer(System.out, false);
    }
    Path p = Path.of(target);
    if (p.getParent() != null) {
      Files.createDirectories(p.getParent());
    }
    OutputStream os =
        Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return new Writer(new PrintStream(os, false, StandardCharsets.UTF_8), true);
  }

  private static final class Writer implements SinkWriter<AnomalyEvent> {
    private final PrintStream out;
    private final boolean owned;

    Writer(PrintStream out, boolean owned) {
      this.out = out;
      this.owned = owned;
    }

    @Override
    public void write(AnomalyEvent alert, Context ctx) throws IOException {
      try {
        out.println(AlertJson.toJson(alert));
      } catch (Exception e) {
        throw new IOException("cannot serialize alert", e);
      }
      out.flush();
    }

    @Override
    public void flush(boolean endOfInput) {
      out.flush();
    }

    @Override
    public void close() {
      if (owned) {
        out.close();
      }
    }
  }
}
