package io.llmobserve.benchmarks;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmobserve.providers.AttributeSink;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmCall;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.usage.RepeatedTextCache;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntBiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What counting tokens adds to the agent's work on one streamed OpenAI chat call (issue 15's CPU
 * target), with the loaded tokenizer, in one run: {@code usageReported} is the agent's byte-level
 * work on a stream that reports usage (request scan, SSE scan, attributes); {@code usageEstimated}
 * the same call without usage on the wire, so the request's messages and the streamed output are
 * collected and counted with o200k_base. The difference is the per-call cost of an estimate; divide
 * it by a streamed call's CPU with the agent (StreamUsageOverheadHarness) for the share it adds.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar UsageEstimate -f 1 -wi 3 -i 5}. On a
 * loaded machine use {@link #main}: {@code java -cp benchmarks/target/benchmarks.jar
 * io.llmobserve.benchmarks.UsageEstimateBenchmark}, which reports the thread's CPU time per call
 * for each prompt, reported and estimated interleaved, unaffected by other processes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UsageEstimateBenchmark {
  /**
   * chat: StreamUsageOverheadHarness's multi-turn prompt; long: a 12 KB conversation of ~1 KB
   * turns, resent with a new last question each call (as chat apps do), counted with the agent's
   * {@link RepeatedTextCache}; longCold: the same without the cache (every message counted).
   */
  @Param({"chat", "long", "longCold"})
  public String prompt;

  /** Streamed output tokens (one chunk each). */
  @Param({"48", "400"})
  public int outputChunks;

  private static final LlmEndpoint ENDPOINT = new LlmEndpoint("openai", "chat");
  private static final HeaderReader SSE =
      name -> "content-type".equals(name) ? "text/event-stream" : null;
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private byte[][] requests;
  private int next;
  private byte[] streamWithUsage;
  private byte[] streamWithoutUsage;
  private ToIntBiFunction<String, String> counter;

  @Setup
  public void setUp() {
    requests = new byte[64][];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = request(prompt.startsWith("long") ? 12 * 1024 : 0, i);
    }
    streamWithUsage = Payloads.sseStream(outputChunks, true);
    streamWithoutUsage = Payloads.sseStream(outputChunks, false);
    // loaded here, outside the measurement (the agent loads once per JVM, in the background)
    var o200k = REGISTRY.getEncoding(EncodingType.O200K_BASE);
    var cl100k = REGISTRY.getEncoding(EncodingType.CL100K_BASE);
    ToIntBiFunction<String, String> direct =
        (encoding, text) ->
            (encoding.equals("cl100k_base") ? cl100k : o200k).countTokensOrdinary(text);
    counter = prompt.equals("longCold") ? direct : new RepeatedTextCache(direct);
  }

  /** The same reported call with estimation off: no text collected (what reported calls pay). */
  @Benchmark
  public long usageReportedEstimationOff() {
    LlmCall call = call(streamWithUsage, false);
    call.writeAttributes(NO_OP);
    return call.inputTokens() + call.outputTokens();
  }

  @Benchmark
  public long usageReported() {
    LlmCall call = call(streamWithUsage, true);
    call.writeAttributes(NO_OP);
    return call.inputTokens() + call.outputTokens();
  }

  @Benchmark
  public long usageEstimated() {
    LlmCall call = call(streamWithoutUsage, true);
    call.writeAttributes(NO_OP);
    if (call.needsUsageEstimate()) {
      call.estimateUsage(counter);
      call.writeUsageEstimate(NO_OP);
    }
    return call.estimatedCounts().size();
  }

  /** Thread CPU time per call, reported vs estimated, rounds interleaved (args: calls/round). */
  public static void main(String[] args) {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    String[] prompts = {"chat", "long", "longCold"};
    UsageEstimateBenchmark[] benches = new UsageEstimateBenchmark[prompts.length];
    long sink = 0;
    for (int p = 0; p < prompts.length; p++) {
      benches[p] = new UsageEstimateBenchmark();
      benches[p].prompt = prompts[p];
      benches[p].outputChunks = 48;
      benches[p].setUp();
    }
    for (int i = 0; i < 5 * n; i++) { // warm every path up before measuring any
      for (UsageEstimateBenchmark b : benches) {
        sink += b.usageReportedEstimationOff() + b.usageReported() + b.usageEstimated();
      }
    }
    int rounds = 7;
    long[][][] perCall = new long[prompts.length][3][rounds]; // [prompt][off|reported|estimated]
    for (int round = 0; round < rounds; round++) {
      for (int p = 0; p < prompts.length; p++) {
        UsageEstimateBenchmark b = benches[p];
        for (int variant = 0; variant < 3; variant++) {
          long t0 = threads.getCurrentThreadCpuTime();
          for (int i = 0; i < n; i++) {
            sink +=
                variant == 0
                    ? b.usageReportedEstimationOff()
                    : variant == 1 ? b.usageReported() : b.usageEstimated();
          }
          perCall[p][variant][round] = (threads.getCurrentThreadCpuTime() - t0) / n;
        }
      }
    }
    for (int p = 0; p < prompts.length; p++) {
      for (long[] v : perCall[p]) {
        java.util.Arrays.sort(v);
      }
      long off = perCall[p][0][rounds / 2];
      long reported = perCall[p][1][rounds / 2];
      long estimated = perCall[p][2][rounds / 2];
      System.out.printf(
          java.util.Locale.ROOT,
          "prompt=%-8s outputChunks=48, CPU per call (median of %d rounds): estimation off %.1f us,"
              + " usage reported %.1f us, estimated %.1f us [%.1f..%.1f]: counting adds %.1f us%n",
          prompts[p],
          rounds,
          off / 1e3,
          reported / 1e3,
          estimated / 1e3,
          perCall[p][2][0] / 1e3,
          perCall[p][2][rounds - 1] / 1e3,
          (estimated - reported) / 1e3);
    }
    System.out.println(sink == 42 ? "" : "done");
  }

  private LlmCall call(byte[] stream, boolean estimation) {
    LlmCall call = new LlmCall(ENDPOINT, 0L, false);
    call.setUsageEstimation(estimation);
    byte[] request = requests[next++ & (requests.length - 1)];
    call.requestBody(request, 0, request.length);
    call.responseHeaders(200, SSE);
    call.responseBody(stream, 0, stream.length);
    call.responseEnd();
    return call;
  }

  /**
   * The harness app's conversation, after earlier turns of about {@code extra} bytes in all, with
   * question {@code variant} last.
   */
  static byte[] request(int extra, int variant) {
    StringBuilder sb = new StringBuilder("{\"model\":\"gpt-4o-mini\",\"messages\":[");
    sb.append(
        "{\"role\":\"system\",\"content\":\"You are a helpful assistant for a travel agency."
            + " Answer briefly and politely.\"}");
    int start = sb.length();
    for (int turn = 0; sb.length() - start < extra; turn++) {
      sb.append(",{\"role\":\"")
          .append(turn % 2 == 0 ? "user" : "assistant")
          .append("\",\"content\":\"Earlier turn ")
          .append(turn)
          .append(": the itinerary covers Kyoto, Nara and Hakone; trains, hotels and a")
          .append(" ryokan with an onsen are booked, and the budget is about 3,200 EUR. ".repeat(7))
          .append("\"}");
    }
    sb.append(
        ",{\"role\":\"user\",\"content\":\"Which documents do I need to travel from Germany to"
            + " Japan for two weeks of holiday?\"},{\"role\":\"assistant\",\"content\":\"A passport"
            + " valid for the stay; no visa for up to 90 days. Anything else? \uD83D\uDE42\"},"
            + "{\"role\":\"user\",\"content\":\"Danke! Und brauche ich eine Reiseversicherung?"
            + " \u6771\u4EAC und \u5927\u962A stehen auf dem Plan. Frage "
            + variant
            + ".\"}],"
            + "\"max_completion_tokens\":48,\"stream\":true}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final AttributeSink NO_OP =
      new AttributeSink() {
        @Override
        public void put(String key, String value) {}

        @Override
        public void put(String key, long value) {}

        @Override
        public void put(String key, double value) {}

        @Override
        public void put(String key, boolean value) {}

        @Override
        public void put(String key, List<String> values) {}
      };
}
