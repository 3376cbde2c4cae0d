package io.llmobserve.pipeline.bench;

import io.llmobserve.pipeline.decode.WireSpanDecoder;
import io.llmobserve.pipeline.limits.OtlpWireScanner;
import io.llmobserve.pipeline.limits.RequestLimits;
import io.llmobserve.pipeline.model.StringCache;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU per span of the two steps every OTLP request goes through before its calls exist (the
 * embedded receiver's workers, or the Kafka source's task): the limit scan ({@link
 * OtlpWireScanner}) and the decode ({@link WireSpanDecoder}), one thread, the benchmark's payload
 * (512-span {@link OtlpPayloads#mixedBatch} requests).
 *
 * <p>{@code java -cp ... io.llmobserve.pipeline.bench.DecodeStepsBenchmark [seconds=5] [rounds=5]}
 */
public final class DecodeStepsBenchmark {
  public static void main(String[] args) {
    int seconds = 5;
    int rounds = 5;
    for (String a : args) {
      if (a.startsWith("seconds=")) {
        seconds = Integer.parseInt(a.substring(8));
      } else if (a.startsWith("rounds=")) {
        rounds = Integer.parseInt(a.substring(7));
      }
    }
    TimedPayloads load = new TimedPayloads(4, 512, System.currentTimeMillis());
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      requests.add(load.request(i, null));
    }
    RequestLimits limits = RequestLimits.defaults();
    StringCache strings = new StringCache();
    long[] sink = new long[1];
    for (int r = 0; r < rounds; r++) {
      double scan =
          usPerSpan(
              requests,
              seconds,
              b -> {
                OtlpWireScanner.Result res = OtlpWireScanner.scan(b, limits);
                return res.spans();
              });
      double decode =
          usPerSpan(
              requests,
              seconds,
              b -> WireSpanDecoder.decode(b, strings, c -> sink[0]++, s -> sink[0]--));
      System.out.printf(
          "round %d: scan %.3f us/span, decode %.3f us/span, both %.3f us/span%n",
          r + 1, scan, decode, scan + decode);
    }
    System.out.println(sink[0] == 42 ? "" : " ");
  }

  interface Step {
    long run(byte[] request);
  }

  /** Runs the step over the requests for about {@code seconds}; thread CPU per span. */
  static double usPerSpan(List<byte[]> requests, int seconds, Step step) {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long spans = 0;
    long cpu0 = threads.getCurrentThreadCpuTime();
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < until) {
      for (byte[] b : requests) {
        spans += step.run(b);
      }
    }
    return (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / spans;
  }
}
