package io.llmobserve.cluster;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * One Kafka broker process in KRaft mode (combined broker + controller), started as the
 * distribution's scripts do: {@code kafka-storage.sh format} ({@code kafka.tools.StorageTool}),
 * then {@code kafka-server-start.sh} ({@code kafka.Kafka server.properties}).
 */
final class KafkaBroker implements AutoCloseable {
  final String bootstrap;
  private final JvmProcess process;

  private KafkaBroker(String bootstrap, JvmProcess process) {
    this.bootstrap = bootstrap;
    this.process = process;
  }

  /** Formats the storage and starts the broker; call {@link #awaitReady} before using it. */
  static KafkaBroker start(Path dir, String classpath) throws Exception {
    Files.createDirectories(dir);
    int port = JvmProcess.freePort();
    int controllerPort = JvmProcess.freePort();
    Path props = dir.resolve("server.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "num.partitions=1",
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            ""));
    List<String> jvm =
        List.of(
            "-Xmx256m",
            "-Xms256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dlog4j2.configurationFile=" + JvmProcess.log4jConfig(dir).toUri());
    JvmProcess format =
        JvmProcess.start(
            "kafka-storage-format",
            classpath,
            jvm,
            "kafka.tools.StorageTool",
            List.of(
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                props.toString()),
            Map.of(),
            dir);
    int code = format.awaitExit(Duration.ofMinutes(3));
    if (code != 0) {
      throw new AssertionError("kafka-storage format failed: " + code + "\n" + format.tail(40));
    }
    JvmProcess broker =
        JvmProcess.start(
            "kafka-broker",
            classpath,
            jvm,
            "kafka.Kafka",
            List.of(props.toString()),
            Map.of(),
            dir);
    return new KafkaBroker("127.0.0.1:" + port, broker);
  }

  void awaitReady(Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .failFast("the broker process died, see " + process.log, () -> !process.isAlive())
        .until(
            () -> {
              try (Admin admin = admin()) {
                return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 1;
              }
            });
  }

  Admin admin() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("request.timeout.ms", "30000");
    p.put("default.api.timeout.ms", "60000");
    return Admin.create(p);
  }

  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }
  }

  /** Records in the topic (sum of the partitions' end offsets): what the job must count. */
  long recordsIn(String topic) throws Exception {
    try (Admin admin = admin()) {
      var partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
      Map<TopicPartition, OffsetSpec> req = new HashMap<>();
      partitions.forEach(
          i -> req.put(new TopicPartition(topic, i.partition()), OffsetSpec.latest()));
      return admin.listOffsets(req).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }
  }

  String tail(int lines) {
    return process.tail(lines);
  }

  @Override
  public void close() {
    process.kill9();
  }
}
