package io.llmobserve.pipeline.enrich;

import io.llmobserve.pipeline.model.LlmSpan;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.MapFunction;

/** Prices each call with the (user-overridable) pricing table: LlmSpan.costUsd. */
public class CostCalculator implements MapFunction<LlmSpan, LlmSpan> {
  private static final long serialVersionUID = 1L;
  private final PricingTable pricing;

  /**
   * provider -> model -> price row: the table scan is a prefix search per row. Two look-ups of
   * Strings whose hashes are cached, instead of a concatenated key per call.
   */
  private transient Map<String, Map<String, Optional<PricingTable.Price>>> cache;

  private transient int cached;

  public CostCalculator(PricingTable pricing) {
    this.pricing = pricing;
  }

  @Override
  public LlmSpan map(LlmSpan s) {
    // Price the real model name (before label folding would have been better, but folding
    // only touches the label; requestModel/responseModel keep the original).
    String model =
        s.responseModel != null && !s.responseModel.isEmpty() ? s.responseModel : s.requestModel;
    String m = model != null ? model : s.model;
    if (cache == null || cached > 10_000) { // bounded under a flood of model names
      cache = new HashMap<>();
      cached = 0;
    }
    Map<String, Optional<PricingTable.Price>> byModel =
        cache.computeIfAbsent(s.provider, p -> new HashMap<>());
    Optional<PricingTable.Price> price = byModel.get(m);
    if (price == null) {
      price = Optional.ofNullable(pricing.lookup(s.provider, m));
      byModel.put(m, price);
      cached++;
    }
    s.costUsd =
        PricingTable.cost(price.orElse(null), s.inputTokens, s.outputTokens, s.cacheReadTokens);
    return s;
  }
}
