package io.llmobserve.pipeline.sink;

import io.llmobserve.pipeline.model.AnomalyEvent;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Kafka key and value of an alert record (named classes: Flink cannot type lambdas here). */
public final class AlertSerialization {
  private AlertSerialization() {}

  /** Key: kind|service|provider|model|region|operation. */
  public static final class Key implements SerializationSchema<AnomalyEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(AnomalyEvent a) {
      return AlertJson.key(a).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Value: the alert JSON object. */
  public static final class Value implements SerializationSchema<AnomalyEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(AnomalyEvent a) {
      try {
        return AlertJson.toJson(a).getBytes(StandardCharsets.UTF_8);
      } catch (Exception e) {
        throw new IllegalStateException("cannot serialize alert " + a.kind, e);
      }
    }
  }
}
