package io.llmobserve.pipeline.enrich;

import io.llmobserve.pipeline.model.LlmSpan;
import org.apache.flink.api.common.functions.MapFunction;

/** Prices each call with the (user-overridable) pricing table: LlmSpan.costUsd. */
public class CostCalculator implements MapFunction<LlmSpan, LlmSpan> {
  private static final long serialVersionUID = 1L;
  private final PricingTable pricing;

  public CostCalculator(PricingTable pricing) {
    this.pricing = pricing;
  }

  @Override
  public LlmSpan map(LlmSpan s) {
    // Price the real model name (before label folding would have been better, but folding
    // only touches the label; requestModel/responseModel keep the original).
    String model = s.responseModel != null && !s.responseModel.isEmpty() ? s.responseModel : s.requestModel;
    s.costUsd = pricing.cost(s.provider, model != null ? model : s.model, s.inputTokens, s.outputTokens, s.cacheReadTokens);
    return s;
  }
}
