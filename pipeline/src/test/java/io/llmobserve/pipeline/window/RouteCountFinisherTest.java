package io.llmobserve.pipeline.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import java.time.Duration;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The route-windows operator: counts per route, and a late re-firing adds only the increment. */
class RouteCountFinisherTest {
  static LlmSpan span(String hosting, String pop) {
    LlmSpan s = new LlmSpan();
    s.service = "svc";
    s.provider = "openai";
    s.region = "unknown";
    s.hostingProvider = hosting;
    s.edgePop = pop;
    return s;
  }

  @Test
  void countsPerRouteAndLateSpansOnlyAddTheirIncrement() throws Exception {
    TumblingEventTimeWindows windows = TumblingEventTimeWindows.of(Duration.ofSeconds(1));
    WindowOperatorBuilder<LlmSpan, String, TimeWindow> b =
        new WindowOperatorBuilder<>(
            windows,
            windows.getDefaultTrigger(),
            new ExecutionConfig(),
            TypeInformation.of(LlmSpan.class),
            RouteCount::key,
            Types.STRING);
    b.allowedLateness(Duration.ofSeconds(5));
    var op =
        b.aggregate(
            new RouteCounter(), new RouteCountFinisher(), TypeInformation.of(RouteCount.class));
    try (var h =
        new KeyedOneInputStreamOperatorTestHarness<String, LlmSpan, RouteCount>(
            op, RouteCount::key, Types.STRING)) {
      h.open();
      h.processElement(new StreamRecord<>(span("cloudflare", "SJC"), 100));
      h.processElement(new StreamRecord<>(span("cloudflare", "SJC"), 200));
      h.processElement(new StreamRecord<>(span(null, null), 300));
      h.processWatermark(new Watermark(1_500));
      h.processElement(new StreamRecord<>(span("cloudflare", "SJC"), 400)); // late, within lateness

      assertThat(h.extractOutputValues())
          .extracting(r -> r.hostingProvider + "/" + r.edgePop + "=" + r.calls)
          .containsExactlyInAnyOrder("cloudflare/SJC=2", "unknown/unknown=1", "cloudflare/SJC=1");
      assertThat(h.extractOutputValues())
          .allSatisfy(
              r -> {
                assertThat(r.windowStart).isZero();
                assertThat(r.windowEnd).isEqualTo(1_000);
                assertThat(r.service).isEqualTo("svc");
              });
    }
  }
}
