package io.llmobserve.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a real child process (the JDK running the tests), its output in a log file.
 * Every process started here is killed when the test JVM exits, even if a test fails or the JVM is
 * interrupted, so no broker, JobManager or TaskManager outlives the run.
 */
final class JvmProcess implements AutoCloseable {
  private static final Set<JvmProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(JvmProcess::kill9), "kill-test-processes"));
  }

  final String name;
  final Path log;
  private final Process process;

  private JvmProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static JvmProcess start(
      String name,
      String classpath,
      List<String> jvmArgs,
      String mainClass,
      List<String> args,
      Map<String, String> env,
      Path logDir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    try {
      JvmProcess p = new JvmProcess(name, log, pb.start());
      LIVE.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the process to end by itself; its exit code, or fails with its log's tail. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill9();
      throw new AssertionError(name + " did not finish within " + timeout + "\n" + tail(60));
    }
    LIVE.remove(this);
    return process.exitValue();
  }

  /** SIGKILL (kill -9) on the JVM and anything it started: no shutdown hook, no cleanup. */
  void kill9() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(this);
  }

  @Override
  public void close() {
    kill9();
  }

  /** The last lines of the process's output, for failure messages. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "---- "
          + name
          + " ("
          + log
          + ") ----\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "---- " + name + ": no log (" + e + ")";
    }
  }

  /** A port that was free a moment ago (the processes bind it themselves). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Log4j 2 config that writes everything at INFO to the process's stdout (= its log file). */
  static Path log4jConfig(Path dir) throws IOException {
    Path f = dir.resolve("log4j2-console.properties");
    Files.writeString(
        f,
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.console.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
            ""));
    return f;
  }

  static String readClasspath(String property) throws IOException {
    String file = System.getProperty(property);
    if (file == null) {
      throw new IllegalStateException(
          "system property " + property + " not set: run through Maven (cluster-tests/pom.xml)");
    }
    return Files.readString(Path.of(file)).trim();
  }
}
