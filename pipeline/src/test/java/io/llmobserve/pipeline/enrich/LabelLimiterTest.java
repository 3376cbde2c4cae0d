package io.llmobserve.pipeline.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.testsupport.CloseAfterEach;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LabelLimiterTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private static LlmSpan span(String provider, String model, String service) {
    LlmSpan s = new LlmSpan();
    s.provider = provider;
    s.model = model;
    s.service = service;
    s.region = "unknown";
    s.operation = "chat";
    return s;
  }

  @Test
  void foldsModelsBeyondTheLimitIntoOtherPerProvider() throws Exception {
    var h =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<String, LlmSpan, LlmSpan>(
                new KeyedProcessOperator<>(new LabelLimiter(2, 10, 10, Duration.ofHours(1))),
                s -> s.provider,
                Types.STRING));
    h.open();
    for (String m : new String[] {"a", "b", "c", "a", "d", "b"}) {
      h.processElement(new StreamRecord<>(span("openai", m, "svc"), 1));
    }
    h.processElement(new StreamRecord<>(span("anthropic", "c", "svc"), 1));
    assertThat(h.extractOutputValues())
        .extracting(s -> s.provider + ":" + s.model)
        .containsExactly(
            "openai:a",
            "openai:b",
            "openai:other",
            "openai:a",
            "openai:other",
            "openai:b",
            "anthropic:c");
  }

  @Test
  void unusedValuesExpireAndFreeTheirSlot() throws Exception {
    var h =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<String, LlmSpan, LlmSpan>(
                new KeyedProcessOperator<>(new LabelLimiter(10, 1, 10, Duration.ofMillis(100))),
                s -> s.provider,
                Types.STRING));
    h.open();
    h.setStateTtlProcessingTime(0);
    h.processElement(new StreamRecord<>(span("openai", "m", "old-service"), 1));
    h.processElement(new StreamRecord<>(span("openai", "m", "new-service"), 1));
    h.setStateTtlProcessingTime(1_000);
    h.processElement(new StreamRecord<>(span("openai", "m", "new-service"), 1));
    assertThat(h.extractOutputValues())
        .extracting(s -> s.service)
        .containsExactly("old-service", "other", "new-service");
  }

  private KeyedOneInputStreamOperatorTestHarness<String, LlmSpan, LlmSpan> limiter(
      int maxServices, Duration ttl) throws Exception {
    return closer.register(
        new KeyedOneInputStreamOperatorTestHarness<String, LlmSpan, LlmSpan>(
            new KeyedProcessOperator<>(new LabelLimiter(10, maxServices, 10, ttl)),
            s -> s.provider,
            Types.STRING));
  }

  /** The limiter admits new values by a held-at-most count; it must never admit past the limit. */
  @Test
  void theLimitHoldsAcrossExpiryAndRestore() throws Exception {
    var h = limiter(3, Duration.ofMillis(100));
    h.open();
    h.setStateTtlProcessingTime(0);
    for (String svc : new String[] {"a", "b", "c", "d"}) {
      h.processElement(new StreamRecord<>(span("openai", "m", svc), 1));
    }
    h.setStateTtlProcessingTime(1_000); // a, b, c expire: three free slots
    for (String svc : new String[] {"d", "e"}) {
      h.processElement(new StreamRecord<>(span("openai", "m", svc), 1));
    }
    var snapshot = h.snapshot(1, 1);
    assertThat(h.extractOutputValues())
        .extracting(s -> s.service)
        .containsExactly("a", "b", "c", "other", "d", "e");

    // A restored limiter has not counted anything: it must count d and e before admitting.
    var restored = limiter(3, Duration.ofMillis(100));
    restored.setStateTtlProcessingTime(1_000);
    restored.initializeState(snapshot);
    restored.open();
    for (String svc : new String[] {"f", "g", "d"}) {
      restored.processElement(new StreamRecord<>(span("openai", "m", svc), 1));
    }
    assertThat(restored.extractOutputValues())
        .extracting(s -> s.service)
        .containsExactly("f", "other", "d");
  }

  @Test
  void boundsEdgePopsAndHostingProvidersButKeepsAbsentOnesAbsent() throws Exception {
    var h =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<String, LlmSpan, LlmSpan>(
                new KeyedProcessOperator<>(new LabelLimiter(10, 10, 2, Duration.ofHours(1))),
                s -> s.provider,
                Types.STRING));
    h.open();
    for (String pop : new String[] {"SJC", "FRA", "AMS", "SJC", null}) {
      LlmSpan s = span("openai", "m", "svc");
      s.hostingProvider = pop == null ? null : "cloudflare";
      s.edgePop = pop;
      h.processElement(new StreamRecord<>(s, 1));
    }
    assertThat(h.extractOutputValues())
        .extracting(s -> s.hostingProvider + "/" + s.edgePop)
        .containsExactly(
            "cloudflare/SJC", "cloudflare/FRA", "cloudflare/other", "cloudflare/SJC", "null/null");
  }

  @Test
  void failedCallsJoinTheSeriesOfTheirRequestModelsLastResponseModel() throws Exception {
    var h =
        closer.register(
            new KeyedOneInputStreamOperatorTestHarness<String, LlmSpan, LlmSpan>(
                new KeyedProcessOperator<>(new LabelLimiter(10, 10, 10, Duration.ofHours(1))),
                s -> s.provider,
                Types.STRING));
    h.open();
    // A failure before any success: no response model known yet, the request model it is.
    h.processElement(new StreamRecord<>(call("gpt-4o-mini", null), 1));
    h.processElement(new StreamRecord<>(call("gpt-4o-mini", "gpt-4o-mini-2024-07-18"), 2));
    h.processElement(new StreamRecord<>(call("gpt-4o-mini", null), 3)); // a 429
    h.processElement(new StreamRecord<>(call("gpt-4o", null), 4)); // another request model
    assertThat(h.extractOutputValues())
        .extracting(s -> s.model)
        .containsExactly(
            "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18", "gpt-4o");
  }

  private static LlmSpan call(String requestModel, String responseModel) {
    LlmSpan s = span("openai", responseModel != null ? responseModel : requestModel, "svc");
    s.requestModel = requestModel;
    s.responseModel = responseModel;
    return s;
  }
}
