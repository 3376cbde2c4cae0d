package io.llmobserve.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process (a jar or a binary) with its output in a log file; closing it stops the whole
 * process tree (TERM, then KILL after a grace period).
 */
final class ManagedProcess implements AutoCloseable {
  final String name;
  final Path log;
  private final Process process;

  private ManagedProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static ManagedProcess start(
      String name, Path workDir, List<String> command, Map<String, String> env) throws IOException {
    Path log = workDir.resolve(name + ".log");
    Files.writeString(log, "$ " + String.join(" ", command) + "\n");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    System.out.printf("[e2e] starting %s (log %s)%n", name, log);
    return new ManagedProcess(name, log, pb.start());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Fails with the log's tail when the process died (e.g. a bad flag), so the cause is visible. */
  void assertAlive() {
    if (!process.isAlive()) {
      throw new AssertionError(
          name + " exited with " + process.exitValue() + "; log tail:\n" + tail(40));
    }
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    tree.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
