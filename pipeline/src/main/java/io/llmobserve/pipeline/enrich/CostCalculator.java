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

  /** (provider, model) -> price row: the table scan is a prefix search per row. */
  private transient Map<String, Optional<PricingTable.Price>> cache;

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
    if (cache == null || cache.size() > 10_000) { // bounded under a flood of model names
      cache = new HashMap<>();
    }
    PricingTable.Price price =
        cache
            .computeIfAbsent(
                s.provider + '\u0000' + m, k -> Optional.ofNullable(pricing.lookup(s.provider, m)))
            .orElse(null);
    s.costUsd = PricingTable.cost(price, s.inputTokens, s.outputTokens, s.cacheReadTokens);
    return s;
  }
}
