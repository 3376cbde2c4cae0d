package io.llmobserve.cluster;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink 2.2 session cluster as real processes, started the way Flink's scripts start them
 * (jobmanager.sh / taskmanager.sh): {@code StandaloneSessionClusterEntrypoint} and {@code
 * TaskManagerRunner} with {@code --configDir}, on a classpath resolved from Maven (flink-dist is
 * not published; its runtime, streaming and client modules are). Jobs are submitted with Flink's
 * CLI ({@code flink run} = {@code CliFrontend run}).
 */
final class FlinkSessionCluster implements AutoCloseable {
  /**
   * The JDK module flags Flink's scripts pass to every Flink JVM (env.java.default-opts.all in the
   * distribution's config.yaml): Flink's serializers reflect into these JDK packages.
   */
  static final List<String> JDK_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

  final Path confDir;
  final Path checkpointDir;
  final int restPort;
  private final Path dir;
  private final String classpath;
  private final Path log4j;
  private JvmProcess jobManager;
  private final List<JvmProcess> taskManagers = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private FlinkSessionCluster(
      Path dir, String classpath, Path confDir, Path checkpointDir, int restPort, Path log4j) {
    this.dir = dir;
    this.classpath = classpath;
    this.confDir = confDir;
    this.checkpointDir = checkpointDir;
    this.restPort = restPort;
    this.log4j = log4j;
  }

  /**
   * Writes config.yaml and starts the JobManager; add TaskManagers with {@link #startTaskManager}.
   */
  static FlinkSessionCluster start(Path dir, String classpath) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    int restPort = JvmProcess.freePort();
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + JvmProcess.freePort(),
            "jobmanager.bind-host: 127.0.0.1",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + restPort,
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "io.tmp.dirs: " + tmp,
            "web.tmpdir: " + tmp,
            "blob.storage.directory: " + tmp,
            // Started without Flink's scripts, so nothing derives the memory model: every
            // component is set, and the JVM flags below match it.
            "jobmanager.memory.heap.size: 192m",
            "jobmanager.memory.off-heap.size: 64m",
            "jobmanager.memory.jvm-metaspace.size: 192m",
            "jobmanager.memory.jvm-overhead.min: 64m",
            "jobmanager.memory.jvm-overhead.max: 64m",
            "taskmanager.numberOfTaskSlots: 2",
            "taskmanager.cpu.cores: 2.0",
            "taskmanager.memory.framework.heap.size: 64m",
            "taskmanager.memory.task.heap.size: 192m",
            "taskmanager.memory.managed.size: 16m",
            "taskmanager.memory.framework.off-heap.size: 64m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.network.min: 32m",
            "taskmanager.memory.network.max: 32m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 64m",
            "taskmanager.memory.jvm-overhead.max: 64m",
            "parallelism.default: 2",
            // A killed TaskManager is noticed within ~2 failed heartbeat RPCs (connection
            // refused), not after the timeout; the long timeout keeps a live but starved
            // TaskManager (loaded 2-core machine) from being declared dead.
            // Pekko's defaults (10 s to start remoting, 10 s per RPC) are too short on a loaded
            // 2-core machine: a JobManager failed to start its actor system in 10 s here.
            "pekko.startup-timeout: 2 min",
            "pekko.ask.timeout: 60 s",
            "heartbeat.interval: 2000",
            "heartbeat.timeout: 30000",
            "heartbeat.rpc-failure-threshold: 2",
            "execution.checkpointing.dir: " + checkpoints.toUri(),
            "execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION",
            ""));
    FlinkSessionCluster cluster =
        new FlinkSessionCluster(
            dir, classpath, conf, checkpoints, restPort, JvmProcess.log4jConfig(conf));
    cluster.startJobManager();
    return cluster;
  }

  /**
   * Starts the JobManager and waits for its REST API. Pekko's classic remoting gives an actor
   * system a fixed 10 s to start (Flink's pekko.startup-timeout does not reach it), which a starved
   * 2-core machine can miss: the JobManager then exits, and is started again.
   */
  private void startJobManager() {
    for (int attempt = 1; ; attempt++) {
      JvmProcess jm =
          JvmProcess.start(
              "jobmanager-" + attempt,
              classpath,
              jvm(
                  List.of(
                      "-Xmx192m",
                      "-Xms192m",
                      "-XX:MaxMetaspaceSize=192m",
                      "-XX:+UseSerialGC",
                      "-XX:TieredStopAtLevel=1")),
              "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
              List.of("--configDir", confDir.toString()),
              Map.of(),
              dir);
      jobManager = jm;
      try {
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .failFast("the JobManager exited", () -> !jm.isAlive())
            .until(() -> rest("/overview").has("taskmanagers"));
        return;
      } catch (org.awaitility.core.TerminalFailureException e) {
        if (attempt == 3) {
          throw new AssertionError("the JobManager did not start\n" + jm.tail(60), e);
        }
      }
    }
  }

  private List<String> jvm(List<String> memory) {
    List<String> args = new ArrayList<>(memory);
    args.addAll(JDK_OPENS);
    args.add("-Dlog4j.configurationFile=" + log4j.toUri());
    return args;
  }

  /**
   * Starts one more TaskManager process (2 slots) and waits until it registered with the
   * JobManager; started again if it exits first (see {@link #startJobManager}).
   */
  JvmProcess startTaskManager() {
    for (int attempt = 1; ; attempt++) {
      String id = "taskmanager-" + (taskManagers.size() + 1);
      JvmProcess tm =
          JvmProcess.start(
              id,
              classpath,
              // heap = framework + task heap; direct = framework + task off-heap + network
              jvm(
                  List.of(
                      "-Xmx256m",
                      "-Xms256m",
                      "-XX:MaxDirectMemorySize=96m",
                      "-XX:MaxMetaspaceSize=256m",
                      "-XX:+UseSerialGC")),
              "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
              List.of("--configDir", confDir.toString(), "-D", "taskmanager.resource-id=" + id),
              Map.of(),
              dir);
      taskManagers.add(tm);
      try {
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .failFast("the TaskManager exited", () -> !tm.isAlive())
            .until(() -> registered(id));
        return tm;
      } catch (org.awaitility.core.TerminalFailureException e) {
        if (attempt == 3) {
          throw new AssertionError("the TaskManager did not start\n" + tm.tail(60), e);
        }
      }
    }
  }

  private boolean registered(String resourceId) throws IOException, InterruptedException {
    for (JsonNode tm : rest("/taskmanagers").path("taskmanagers")) {
      if (resourceId.equals(tm.path("id").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Waits until the REST API answers and {@code slots} task slots are free. */
  void awaitFreeSlots(int slots, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .failFast("the JobManager died, see " + jobManager.log, () -> !jobManager.isAlive())
        .until(() -> rest("/overview").path("slots-available").asInt() >= slots);
  }

  /**
   * {@code flink run -d <jar> <args>}: Flink's CLI with this cluster's config directory, as a user
   * submits; returns the job id it prints.
   */
  String submit(Path jar, List<String> args) throws Exception {
    List<String> cli = new ArrayList<>(List.of("run", "-d", jar.toString()));
    cli.addAll(args);
    JvmProcess run =
        JvmProcess.start(
            "flink-run",
            classpath,
            jvm(List.of("-Xmx256m", "-XX:+UseSerialGC")),
            "org.apache.flink.client.cli.CliFrontend",
            cli,
            Map.of("FLINK_CONF_DIR", confDir.toString()),
            dir);
    int code = run.awaitExit(Duration.ofMinutes(4));
    String out = Files.readString(run.log);
    Matcher m = JOB_ID.matcher(out);
    if (code != 0 || !m.find()) {
      throw new AssertionError("flink run failed (exit " + code + ")\n" + run.tail(80));
    }
    return m.group(1);
  }

  JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(path + " -> " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** True when the job is RUNNING and every vertex of it too (all tasks deployed and running). */
  boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
    JsonNode job = rest("/jobs/" + jobId);
    if (!"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    for (JsonNode v : job.path("vertices")) {
      if (!"RUNNING".equals(v.path("status").asText())) {
        return false;
      }
    }
    return true;
  }

  /** When the job last restored a checkpoint (epoch ms), or -1. */
  long lastRestoreTimestamp(String jobId) throws IOException, InterruptedException {
    JsonNode restored = rest("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
    return restored.isMissingNode() || restored.isNull()
        ? -1
        : restored.path("restore_timestamp").asLong(-1);
  }

  String logs(int lines) {
    StringBuilder b = new StringBuilder(jobManager.tail(lines));
    taskManagers.forEach(tm -> b.append('\n').append(tm.tail(lines)));
    return b.toString();
  }

  @Override
  public void close() {
    taskManagers.forEach(JvmProcess::kill9);
    jobManager.kill9();
  }
}
