package io.llmobserve.pipeline.detect;

import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.WindowAggregate;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Builders for windows and spans, and a harness factory. */
final class Fixtures {
  private Fixtures() {}

  static final long MINUTE = 60_000L;
  static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z

  static WindowAggregate window(String service, int minute, long calls, double p95) {
    WindowAggregate w = new WindowAggregate();
    w.service = service;
    w.provider = "openai";
    w.model = "gpt-4o";
    w.region = "East US 2";
    w.operation = "chat";
    w.windowStart = T0 + minute * MINUTE;
    w.windowEnd = w.windowStart + MINUTE;
    w.calls = calls;
    w.okCalls = calls;
    w.latencyP50 = p95 * 0.6;
    w.latencyP95 = p95;
    w.latencyP99 = p95 * 1.2;
    w.inputTokens = 100 * calls;
    w.outputTokens = 50 * calls;
    w.costUsd = 0.001 * calls;
    return w;
  }

  static LlmSpan span(String service, long atMillis) {
    LlmSpan s = new LlmSpan();
    s.service = service;
    s.provider = "openai";
    s.operation = "chat";
    s.model = "gpt-4o-2024-08-06";
    s.requestModel = "gpt-4o";
    s.responseModel = "gpt-4o-2024-08-06";
    s.systemFingerprint = "fp_aaa";
    s.hostingProvider = "azure";
    s.region = "East US 2";
    s.outcome = "ok";
    s.statusCode = 200;
    s.startEpochNanos = (atMillis - 500) * 1_000_000L;
    s.endEpochNanos = atMillis * 1_000_000L;
    return s;
  }

  static <I> KeyedOneInputStreamOperatorTestHarness<String, I, AnomalyEvent> harness(
      KeyedProcessFunction<String, I, AnomalyEvent> fn, KeySelector<I, String> key)
      throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, I, AnomalyEvent> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(fn), key, Types.STRING);
    h.open();
    return h;
  }

  static List<AnomalyEvent> transitions(List<AnomalyEvent> events) {
    return events.stream().filter(AnomalyEvent::isTransition).collect(Collectors.toList());
  }
}
