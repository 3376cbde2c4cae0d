package io.llmobserve.agent.common;

import com.sun.management.ThreadMXBean;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * What a plain SDK span allocates for n attributes, to show the step where the SDK's attribute map
 * grows (agent-tests/README.md, "Where 1 % of allocation cannot come from").
 *
 * <p>Not a test: {@code java -cp <agent test classpath>
 * io.llmobserve.agent.common.AttributeMapCostBenchmark}.
 */
public final class AttributeMapCostBenchmark {
  private AttributeMapCostBenchmark() {}

  public static void main(String[] args) {
    Tracer tracer = SdkTracerProvider.builder().build().get("attribute-map-cost");
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<AttributeKey<Long>> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add(AttributeKey.longKey("k" + i));
    }
    int[] counts = {8, 16, 17, 24, 28, 32, 33};
    int spans = 200_000;
    for (int round = 0; round < 6; round++) { // 3 rounds of warm-up, then 3 printed
      StringBuilder line = new StringBuilder("bytes per span:");
      for (int n : counts) {
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int c = 0; c < spans; c++) {
          Span s = tracer.spanBuilder("s").startSpan();
          for (int i = 0; i < n; i++) {
            s.setAttribute(keys.get(i), 1000L);
          }
          s.end();
        }
        long per = (mx.getCurrentThreadAllocatedBytes() - before) / spans;
        line.append(String.format("  %d attributes %,d", n, per));
      }
      if (round >= 3) {
        System.out.println(line);
      }
    }
  }
}
