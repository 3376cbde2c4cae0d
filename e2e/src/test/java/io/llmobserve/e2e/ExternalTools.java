package io.llmobserve.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the Prometheus and Alertmanager binaries (Debian: prometheus, prometheus-alertmanager). In
 * CI (CI=true) a missing binary fails the test: the e2e path must never be skipped silently there.
 * Locally it is skipped with a message saying how to install them.
 */
final class ExternalTools {
  static final String INSTALL_HINT = "apt-get install -y prometheus prometheus-alertmanager";

  private ExternalTools() {}

  static Path prometheus() {
    return require("prometheus", "prometheus");
  }

  static Path alertmanager() {
    return require("alertmanager", "alertmanager", "prometheus-alertmanager");
  }

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static Path require(String what, String... names) {
    Optional<Path> found = find(names);
    if (found.isPresent()) {
      return found.get();
    }
    String msg =
        what
            + " binary not found on PATH (looked for "
            + String.join(", ", names)
            + "); install: "
            + INSTALL_HINT;
    if (inCi()) {
      fail("CI=true: " + msg);
    }
    Assumptions.abort("SKIPPED locally: " + msg);
    throw new AssertionError("unreachable");
  }

  static Optional<Path> find(String... names) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String name : names) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
