package io.llmobserve.agenttests.harness;

import io.llmobserve.testsupport.SelfSignedKeyStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a scenario main class in a new JVM (same java binary) with the LLM agent attached,
 * exporting OTLP http/protobuf to the given endpoint, and collects its stdout. Configure with the
 * fluent setters, then {@link #run()}.
 */
public final class ForkedJvm {
  private final String mainClass;
  private Path agentJar = TestPaths.agentJar();
  private String classpath = TestPaths.forkClasspath();
  private String otlpEndpoint;
  private String serviceName = "agent-tests";
  private final Map<String, String> sysProps = new LinkedHashMap<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private Duration timeout = Duration.ofSeconds(120);
  private boolean fastStartup = true;

  private ForkedJvm(String mainClass) {
    this.mainClass = mainClass;
  }

  public static ForkedJvm main(Class<?> mainClass) {
    return new ForkedJvm(mainClass.getName());
  }

  /** A main class compiled elsewhere (a fork-apps module whose libraries this module lacks). */
  public static ForkedJvm main(String mainClass) {
    return new ForkedJvm(mainClass);
  }

  /** null runs the app without any agent (the baseline). */
  public ForkedJvm agentJar(Path jar) {
    this.agentJar = jar;
    return this;
  }

  public ForkedJvm classpath(String cp) {
    this.classpath = cp;
    return this;
  }

  public ForkedJvm otlpEndpoint(String endpoint) {
    this.otlpEndpoint = endpoint;
    return this;
  }

  public ForkedJvm serviceName(String name) {
    this.serviceName = name;
    return this;
  }

  public ForkedJvm sysProp(String key, String value) {
    sysProps.put(key, value);
    return this;
  }

  public ForkedJvm jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  /**
   * Makes {@code store} ({@link SelfSignedKeyStore}) the JVM's default trust store: every client
   * that uses the JDK's default trust (all the tested ones) accepts the simulator's HTTPS.
   */
  public ForkedJvm trustStore(Path store) {
    SelfSignedKeyStore.trustStoreFlags(store).forEach(jvmArgs::add);
    return this;
  }

  public ForkedJvm args(String... a) {
    args.addAll(List.of(a));
    return this;
  }

  public ForkedJvm replaceArgs(String... a) {
    args.clear();
    return args(a);
  }

  /** C1-only JIT starts short-lived test apps faster; benchmarks turn it off. */
  public ForkedJvm fastStartup(boolean on) {
    this.fastStartup = on;
    return this;
  }

  public ForkedJvm timeout(Duration t) {
    this.timeout = t;
    return this;
  }

  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (fastStartup) {
      cmd.add("-XX:TieredStopAtLevel=1");
    }
    if (agentJar != null) {
      cmd.add("-javaagent:" + agentJar.toAbsolutePath());
      cmd.add("-Dotel.service.name=" + serviceName);
      if (otlpEndpoint != null) {
        cmd.add("-Dotel.exporter.otlp.endpoint=" + otlpEndpoint);
      }
      cmd.add("-Dotel.exporter.otlp.protocol=http/protobuf");
      cmd.add("-Dotel.bsp.schedule.delay=100");
      cmd.add("-Dotel.metric.export.interval=1000");
      cmd.add("-Dotel.logs.exporter=none");
    }
    sysProps.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(jvmArgs);
    // Debugging hook: extra JVM options for every fork, e.g.
    // -Dllm.fork.extraJvmArgs="-Dotel.javaagent.debug=true"
    String extra = System.getProperty("llm.fork.extraJvmArgs", "").strip();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  public ForkResult run() throws IOException, InterruptedException {
    Path logDir = TestPaths.logDir();
    Files.createDirectories(logDir);
    String base =
        serviceName
            + "-"
            + mainClass.substring(mainClass.lastIndexOf('.') + 1)
            + "-"
            + System.nanoTime();
    File out = logDir.resolve(base + ".out").toFile();
    File err = logDir.resolve(base + ".err").toFile();
    List<String> cmd = command();
    Files.writeString(logDir.resolve(base + ".cmd"), String.join(" ", cmd));
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
    boolean exited;
    try {
      exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      p.destroyForcibly(); // a no-op once it exited; never leave a fork behind an interrupt
    }
    Duration wall = Duration.ofNanos(System.nanoTime() - start);
    String stdout = Files.readString(out.toPath());
    String stderr = Files.readString(err.toPath());
    return new ForkResult(exited ? p.exitValue() : -1, !exited, stdout, stderr, wall, out.toPath());
  }
}
