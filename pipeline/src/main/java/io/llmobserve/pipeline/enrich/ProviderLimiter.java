package io.llmobserve.pipeline.enrich;

import io.llmobserve.pipeline.model.LlmSpan;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bounds the provider label itself, before anything is keyed by it: at most {@code maxProviders}
 * distinct gen_ai.provider.name values; further ones become "other". The {@link LabelLimiter} is
 * keyed by provider, so without this bound every new provider would get a full set of model,
 * service and region slots (2,000 providers made 12,001 series; 100k exhausted the heap). A
 * provider unseen for the TTL (event time) frees its slot. The admitted set is checkpointed
 * operator state of each parallel instance (at most parallelism x maxProviders in total; the
 * embedded receiver feeds a single instance).
 */
public class ProviderLimiter extends ProcessFunction<LlmSpan, LlmSpan>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private final int maxProviders;
  private final long ttlMillis;

  /** provider -> last event time seen (ms), updated in place (no boxed Long per call). */
  private transient Map<String, long[]> admitted;

  private transient ListState<Tuple2<String, Long>> checkpointed;

  public ProviderLimiter(int maxProviders, Duration ttl) {
    this.maxProviders = maxProviders;
    this.ttlMillis = ttl.toMillis();
  }

  @Override
  public void processElement(LlmSpan s, Context ctx, Collector<LlmSpan> out) {
    s.provider = admit(s.provider, s.eventTimeMillis());
    out.collect(s);
  }

  String admit(String provider, long eventTime) {
    long[] seen = admitted.get(provider);
    if (seen != null) {
      seen[0] = Math.max(seen[0], eventTime);
      return provider;
    }
    if (admitted.size() >= maxProviders) {
      long cutoff = eventTime - ttlMillis;
      admitted.values().removeIf(t -> t[0] < cutoff);
      if (admitted.size() >= maxProviders) {
        return LabelLimiter.OTHER;
      }
    }
    admitted.put(provider, new long[] {eventTime});
    return provider;
  }

  int size() {
    return admitted.size();
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    checkpointed.clear();
    for (Map.Entry<String, long[]> e : admitted.entrySet()) {
      checkpointed.add(Tuple2.of(e.getKey(), e.getValue()[0]));
    }
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    admitted = new HashMap<>();
    checkpointed =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(
                    "providers", TypeInformation.of(new TypeHint<Tuple2<String, Long>>() {})));
    if (context.isRestored()) {
      for (Tuple2<String, Long> t : checkpointed.get()) {
        if (admitted.size() < maxProviders) {
          long[] seen = admitted.computeIfAbsent(t.f0, k -> new long[] {Long.MIN_VALUE});
          seen[0] = Math.max(seen[0], t.f1);
        }
      }
    }
  }
}
