package io.llmobserve.pipeline.job;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.sink.AlertSerialization;
import io.llmobserve.pipeline.source.QueueSource;
import io.llmobserve.pipeline.window.LlmWatermarks;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The two inputs (embedded receiver queue, Kafka) and the Kafka alert output. */
public final class Sources {
  private Sources() {}

  /**
   * Raw record values: one OTLP ExportTraceServiceRequest per Kafka record (otlp_proto, or
   * otlp_json: the decoder reads both).
   */
  static final class RawBytes implements DeserializationSchema<byte[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] deserialize(byte[] message) {
      return message == null ? new byte[0] : message;
    }

    @Override
    public boolean isEndOfStream(byte[] next) {
      return false;
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
      return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }
  }

  /**
   * The job's Kafka consumer settings, then the user's {@code kafka.*} keys over them. A record is
   * a Collector export batch (up to its max_message_bytes, often near 1 MB): at Kafka's 1 MiB per
   * partition a fetch returns one to three, and the fetches cost more than the job's own work
   * (ThroughputBenchmark source=kafka parallelism=1, two runs each: 338-436k spans/s and 3.6-4.2 us
   * of CPU per span at 1 MiB, 461-495k and 2.8-3.1 us at 8 MiB).
   */
  static Properties consumerProperties(PipelineConfig cfg) {
    Properties p = new Properties();
    p.setProperty("partition.discovery.interval.ms", "60000");
    p.setProperty("max.partition.fetch.bytes", Integer.toString(8 << 20));
    p.putAll(cfg.kafka);
    return p;
  }

  /** The alert producer's settings: the user's {@code kafka.*} keys. */
  static Properties producerProperties(PipelineConfig cfg) {
    Properties p = new Properties();
    p.putAll(cfg.kafka);
    return p;
  }

  /**
   * Watermarks per partition from the Kafka record timestamps (the Collector's export time, never
   * before the spans in it ended): a partition that lags behind (catch-up after a restart) holds
   * the watermark back instead of seeing its spans declared late.
   */
  public static DataStream<byte[]> kafka(StreamExecutionEnvironment env, PipelineConfig cfg) {
    KafkaSource<byte[]> source =
        KafkaSource.<byte[]>builder()
            .setBootstrapServers(cfg.kafkaBootstrap)
            .setTopics(cfg.kafkaTopic)
            .setGroupId(cfg.kafkaGroup)
            // Offsets live in Flink's checkpoints (exactly-once); committed ones only seed a fresh
            // start.
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
            .setValueOnlyDeserializer(new RawBytes())
            .setProperties(consumerProperties(cfg))
            .build();
    return env.fromSource(
            source,
            LlmWatermarks.<byte[]>forKafkaRecords(cfg.outOfOrderness, cfg.idleTimeout),
            "kafka-otlp-spans")
        .uid("kafka-otlp-spans");
  }

  /**
   * The Collector's OTLP metrics topic (one ExportMetricsServiceRequest per record), or null when
   * {@code kafka-metrics-topic} is empty. Same watermarks as the spans topic.
   */
  public static DataStream<byte[]> kafkaMetrics(
      StreamExecutionEnvironment env, PipelineConfig cfg) {
    if (cfg.kafkaMetricsTopic.isEmpty()) {
      return null;
    }
    KafkaSource<byte[]> source =
        KafkaSource.<byte[]>builder()
            .setBootstrapServers(cfg.kafkaBootstrap)
            // a pattern, not a topic list: a missing topic (no Collector metrics pipeline yet) is
            // no error
            .setTopicPattern(Pattern.compile(Pattern.quote(cfg.kafkaMetricsTopic)))
            .setGroupId(cfg.kafkaGroup)
            // in-flight samples are only useful fresh: a fresh start skips the backlog
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
            .setValueOnlyDeserializer(new RawBytes())
            .setProperties(consumerProperties(cfg))
            .build();
    return env.fromSource(
            source,
            LlmWatermarks.<byte[]>forKafkaRecords(cfg.outOfOrderness, cfg.idleTimeout),
            "kafka-otlp-metrics")
        .uid("kafka-otlp-metrics");
  }

  /** The embedded receiver's /v1/metrics log (the agents' in-flight metrics). */
  public static DataStream<byte[]> metricsReceiver(
      StreamExecutionEnvironment env, String queueName) {
    return env.fromSource(
            new QueueSource(queueName), WatermarkStrategy.noWatermarks(), "otlp-metrics-receiver")
        .uid("otlp-metrics-receiver")
        .setParallelism(1);
  }

  public static DataStream<byte[]> receiver(StreamExecutionEnvironment env, String queueName) {
    return env.fromSource(
            new QueueSource(queueName), WatermarkStrategy.noWatermarks(), "otlp-receiver")
        .uid("otlp-receiver")
        .setParallelism(1);
  }

  /**
   * Alerts to Kafka, keyed by anomaly so one anomaly's firing/resolved stay ordered. Default
   * at-least-once: an alert must not wait for a checkpoint (exactly-once only makes records visible
   * to read_committed consumers at checkpoint completion), and a duplicate transition is harmless
   * (same kind, key, window and state: consumers can dedupe).
   */
  public static KafkaSink<AnomalyEvent> kafkaAlerts(PipelineConfig cfg) {
    boolean exactlyOnce = cfg.alertsDelivery.equals("exactly-once");
    var builder =
        KafkaSink.<AnomalyEvent>builder()
            .setBootstrapServers(cfg.kafkaBootstrap)
            .setKafkaProducerConfig(producerProperties(cfg))
            .setRecordSerializer(
                KafkaRecordSerializationSchema.<AnomalyEvent>builder()
                    .setTopic(cfg.alertsTopic)
                    .setKeySerializationSchema(new AlertSerialization.Key())
                    .setValueSerializationSchema(new AlertSerialization.Value())
                    .build())
            .setDeliveryGuarantee(
                exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE);
    if (exactlyOnce) {
      builder.setTransactionalIdPrefix("llm-observe-alerts");
    }
    return builder.build();
  }
}
