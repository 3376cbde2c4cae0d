package io.llmobserve.pipeline.detect;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * The detectors' per-key state: one value that expires after {@code ttlMillis} without a write, so
 * keys that stop sending (a retired model, a one-off service) do not pin state forever. Reads do
 * not refresh it (OnCreateAndWrite) and an expired value is never returned.
 */
final class KeyedStateTtl {
  private KeyedStateTtl() {}

  static <T> ValueStateDescriptor<T> valueState(String name, Class<T> type, long ttlMillis) {
    ValueStateDescriptor<T> desc = new ValueStateDescriptor<>(name, type);
    desc.enableTimeToLive(
        StateTtlConfig.newBuilder(Duration.ofMillis(ttlMillis))
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    return desc;
  }
}
