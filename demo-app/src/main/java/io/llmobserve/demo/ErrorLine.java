package io.llmobserve.demo;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns an SDK failure into an HTTP status and one log line, whichever SDK threw it. */
final class ErrorLine {
  private ErrorLine() {}

  static Throwable unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** HTTP status the SDK saw (its exceptions expose statusCode()), or -1 (I/O error, timeout). */
  static int status(Throwable t) {
    for (Throwable c = unwrap(t); c != null; c = c.getCause()) {
      try {
        Method m = c.getClass().getMethod("statusCode");
        Object v = m.invoke(c);
        if (v instanceof Number n) {
          return n.intValue();
        }
      } catch (ReflectiveOperationException | RuntimeException ignored) {
        // not an SDK HTTP exception; look at its cause
      }
      if (c.getClass().getSimpleName().contains("RateLimit")) {
        return 429;
      }
    }
    return -1;
  }

  static String describe(String workload, Throwable t) {
    Throwable c = unwrap(t);
    String msg = String.valueOf(c.getMessage()).replace('\n', ' ');
    if (msg.length() > 160) {
      msg = msg.substring(0, 160) + "...";
    }
    int status = status(c);
    return "[demo] "
        + (status > 0 ? "HTTP " + status : c.getClass().getSimpleName())
        + " from "
        + workload
        + ": "
        + msg;
  }
}
