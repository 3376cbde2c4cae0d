package io.llmobserve.agenttests.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the agent jar and the fork classpaths are. Surefire passes them as system properties; run
 * from the repository root or agent-tests/ (the overhead harness), the defaults find them.
 */
public final class TestPaths {
  private TestPaths() {}

  static Path moduleDir() {
    Path cwd = Path.of("").toAbsolutePath();
    return Files.isDirectory(cwd.resolve("agent-tests")) ? cwd.resolve("agent-tests") : cwd;
  }

  private static Path prop(String key, Path fallback) {
    String v = System.getProperty(key);
    return v != null ? Path.of(v) : fallback;
  }

  private static Path agentSnapshot;

  /**
   * A private copy of agent/target/llm-otel-javaagent.jar, taken once per test JVM: in a shared
   * checkout the agent may be rebuilt while tests run, and a half-written jar kills the fork.
   */
  public static synchronized Path agentJar() {
    if (agentSnapshot == null) {
      Path built =
          prop("llm.agent.jar", moduleDir().resolve("../agent/target/llm-otel-javaagent.jar"))
              .normalize();
      agentSnapshot =
          snapshot(built, moduleDir().resolve("target/agent-under-test/llm-otel-javaagent.jar"));
    }
    return agentSnapshot;
  }

  private static Path snapshot(Path built, Path copy) {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.createDirectories(copy.getParent());
        Files.copy(built, copy, StandardCopyOption.REPLACE_EXISTING);
        try (JarFile jar = new JarFile(copy.toFile())) {
          if (jar.getManifest().getMainAttributes().getValue("Premain-Class") != null) {
            return copy;
          }
        }
      } catch (IOException | RuntimeException e) {
        if (attempt >= 20) {
          throw new IllegalStateException(
              "no usable agent jar at " + built + " (build it: mvn -pl agent package)", e);
        }
      }
      if (attempt >= 20) {
        throw new IllegalStateException(built + " has no Premain-Class");
      }
      try {
        Thread.sleep(3_000); // being rewritten by a build; try again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public static Path upstreamAgentJar() {
    return moduleDir().resolve("target/upstream-agent/opentelemetry-javaagent.jar");
  }

  static Path testClasses() {
    return prop("llm.fork.test.classes", moduleDir().resolve("target/test-classes"));
  }

  static Path logDir() {
    return moduleDir().resolve("target/fork-logs");
  }

  /** The SDKs (test-scoped dependencies) plus the scenario classes. */
  public static String forkClasspath() {
    Path file = prop("llm.fork.classpath.file", moduleDir().resolve("target/fork-classpath.txt"));
    try {
      return testClasses() + File.pathSeparator + Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("run mvn -pl agent-tests test-compile first", e);
    }
  }

  /** OkHttp 5 + okio + kotlin-stdlib only, plus the scenario classes: no OkHttp 4 in sight. */
  public static String okHttp5Classpath() {
    Path lib = prop("llm.okhttp5.lib", moduleDir().resolve("target/okhttp5-lib"));
    try (Stream<Path> jars = Files.list(lib)) {
      return testClasses()
          + File.pathSeparator
          + jars.filter(p -> p.toString().endsWith(".jar"))
              .map(Path::toString)
              .collect(Collectors.joining(File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A fork-apps module (agent-tests/netty-apps, aws-apps): its classes plus its own classpath file.
   */
  public static String appsClasspath(String module) {
    Path target =
        prop(
            "llm." + module.replace("-apps", "") + ".apps",
            moduleDir().resolve(module).resolve("target"));
    try {
      return target.resolve("classes")
          + File.pathSeparator
          + Files.readString(target.resolve("fork-classpath.txt")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "build agent-tests/" + module + " first (mvn -pl agent-tests -am verify)", e);
    }
  }
}
