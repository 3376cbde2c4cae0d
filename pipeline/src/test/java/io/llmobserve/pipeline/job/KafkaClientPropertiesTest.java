package io.llmobserve.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmobserve.pipeline.config.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kafka.*} keys reach every Kafka client of the job, over the job's own defaults. */
class KafkaClientPropertiesTest {
  @Test
  void kafkaKeysFromTheFileAndDReachTheConsumersAndTheProducer(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("job.properties");
    Files.writeString(
        f,
        "kafka.security.protocol=SASL_SSL\n"
            + "kafka.sasl.mechanism=PLAIN\n"
            + "kafka.max.partition.fetch.bytes=2097152\n");
    PipelineConfig cfg =
        PipelineConfig.parse(
            "--config",
            f.toString(),
            "-D",
            "kafka.sasl.mechanism=SCRAM-SHA-512",
            "--source",
            "kafka",
            "--kafka-bootstrap",
            "broker:9092");

    assertThat(Sources.consumerProperties(cfg))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512") // -D wins over the file
        .containsEntry("max.partition.fetch.bytes", "2097152") // the user's over the job's
        .containsEntry("partition.discovery.interval.ms", "60000");
    assertThat(Sources.producerProperties(cfg))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .doesNotContainKey("partition.discovery.interval.ms");
    // with() re-parses the resolved settings: the kafka keys survive it
    assertThat(cfg.with("window", "5s").kafka).isEqualTo(cfg.kafka);
  }

  @Test
  void consumersFetchWholeCollectorBatchesByDefault() {
    PipelineConfig cfg = PipelineConfig.parse("--source", "kafka", "--kafka-bootstrap", "b:9092");
    assertThat(cfg.kafka).isEmpty();
    assertThat(Sources.consumerProperties(cfg))
        .containsEntry("max.partition.fetch.bytes", Integer.toString(8 << 20));
    assertThat(Sources.producerProperties(cfg)).isEmpty();
  }

  @Test
  void keysTheJobsOptionsSetAreRefusedWithTheOptionToUse() {
    assertThatThrownBy(() -> PipelineConfig.parse("-D", "kafka.bootstrap.servers=b:9092"))
        .hasMessage("-D kafka.bootstrap.servers: set by the job's --kafka-bootstrap; use that");
    assertThatThrownBy(() -> PipelineConfig.parse("-D", "kafka.group.id=g"))
        .hasMessage("-D kafka.group.id: set by the job's --kafka-group; use that");
    assertThatThrownBy(() -> PipelineConfig.parse("-D", "kafka.=x"))
        .hasMessage("-D kafka.: give a Kafka client property after kafka.");
    assertThatThrownBy(() -> PipelineConfig.parse("-D", "kafkaa.x=1"))
        .hasMessageContaining("unknown key")
        .hasMessageContaining("kafka.*");
  }
}
