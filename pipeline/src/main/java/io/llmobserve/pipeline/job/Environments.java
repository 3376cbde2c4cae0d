package io.llmobserve.pipeline.job;

import io.llmobserve.pipeline.config.PipelineConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Flink settings shared by both modes: checkpoints (exactly-once), retention, restore. */
public final class Environments {
  private Environments() {}

  /** Settings that must be known when the environment is created. */
  public static Configuration flinkConfig(PipelineConfig cfg) {
    Map<String, String> m = new HashMap<>();
    if (!cfg.checkpointDir.isBlank()) {
      m.put("execution.checkpointing.storage", "filesystem");
      m.put("execution.checkpointing.dir", checkpointUri(cfg.checkpointDir));
      // Keep the last checkpoint when the job is cancelled (Ctrl-C) so the next start resumes;
      // the hashmap state backend keeps working state on the heap, checkpoints go to files
      // (no 5 MiB cap as with in-memory checkpoint storage).
      m.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    }
    if (!cfg.restoreFrom.isBlank()) {
      m.put("execution.state-recovery.path", cfg.restoreFrom);
    }
    m.put("restart-strategy.type", "exponential-delay");
    // Chained operators hand records on without a copy: no function keeps or mutates a record
    // after emitting it (records in keyed state are copies made by its serializer).
    m.put("pipeline.object-reuse", "true");
    // Every record and state type has a typed serializer (POJO or TypeInfo): a Kryo fallback
    // would be slow and unversioned, so the job refuses to build one.
    m.put("pipeline.generic-types", "false");
    return Configuration.fromMap(m);
  }

  /**
   * Flink's checkpoint directory: a URI ({@code s3://bucket/chk}, {@code hdfs://..}, {@code
   * file:/..}) goes to Flink as given; a plain path is made absolute. (Read as a path, a URI became
   * a relative directory named {@code file:} or {@code s3:} in the working directory.)
   */
  static String checkpointUri(String dir) {
    String d = dir.strip();
    return HAS_SCHEME.matcher(d).lookingAt() ? d : Path.of(d).toAbsolutePath().toUri().toString();
  }

  /** The local directory a checkpoint dir names (a path or a file: URI); empty if remote. */
  static Optional<Path> localDirectory(String dir) {
    String d = dir.strip();
    if (!HAS_SCHEME.matcher(d).lookingAt()) {
      return Optional.of(Path.of(d));
    }
    return d.regionMatches(true, 0, "file:", 0, 5)
        ? Optional.of(Path.of(URI.create(d)))
        : Optional.empty();
  }

  /** A URI scheme of two or more letters: a Windows drive ({@code C:/}) is a path. */
  private static final Pattern HAS_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:");

  public static void configure(StreamExecutionEnvironment env, PipelineConfig cfg) {
    env.configure(flinkConfig(cfg));
    env.enableCheckpointing(cfg.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    env.getConfig().setAutoWatermarkInterval(200);
    if (cfg.parallelism > 0) {
      env.setParallelism(cfg.parallelism);
    }
  }

  /** A local MiniCluster environment for embedded mode (no web UI, no cluster needed). */
  public static StreamExecutionEnvironment local(PipelineConfig cfg) {
    Configuration conf = flinkConfig(cfg);
    int p =
        cfg.parallelism > 0
            ? cfg.parallelism
            : Math.min(2, Runtime.getRuntime().availableProcessors());
    conf.setString("taskmanager.numberOfTaskSlots", Integer.toString(Math.max(p, 1)));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, conf);
    configure(env, cfg);
    env.setParallelism(p);
    return env;
  }
}
