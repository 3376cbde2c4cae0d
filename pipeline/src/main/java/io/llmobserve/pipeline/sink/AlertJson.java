package io.llmobserve.pipeline.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.pipeline.model.AnomalyEvent;
import java.time.Instant;

/**
 * One alert transition as one JSON object (no newline): kind, state, key labels, window start/end
 * (epoch ms and ISO-8601), observed, baseline, score, detail, stale (resolved because the key went
 * silent).
 */
public final class AlertJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AlertJson() {}

  public static String toJson(AnomalyEvent a) throws Exception {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("kind", a.kind);
    o.put("state", a.transition);
    o.put("service", a.service);
    o.put("provider", a.provider);
    o.put("model", a.model);
    o.put("region", a.region);
    o.put("operation", a.operation);
    o.put("window_start", a.windowStart);
    o.put("window_end", a.windowEnd);
    o.put("window_start_iso", Instant.ofEpochMilli(a.windowStart).toString());
    o.put("window_end_iso", Instant.ofEpochMilli(a.windowEnd).toString());
    putNumber(o, "observed", a.observed);
    putNumber(o, "baseline", a.baseline);
    putNumber(o, "score", a.score);
    o.put("detail", a.detail);
    o.put("stale", a.stale);
    return MAPPER.writeValueAsString(o);
  }

  /** JSON has no NaN: unknown values are null. */
  private static void putNumber(ObjectNode o, String field, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      o.putNull(field);
    } else {
      o.put(field, v);
    }
  }

  /** Kafka record key: alerts of one anomaly stay in one partition, in order. */
  public static String key(AnomalyEvent a) {
    return a.kind
        + '|'
        + a.service
        + '|'
        + a.provider
        + '|'
        + a.model
        + '|'
        + a.region
        + '|'
        + a.operation;
  }
}
