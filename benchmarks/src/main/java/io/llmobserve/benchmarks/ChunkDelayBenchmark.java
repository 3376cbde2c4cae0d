package io.llmobserve.benchmarks;

import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmCall;
import io.llmobserve.providers.LlmEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The delay the agent adds to each streamed chunk: a chunk reaches the app only after the tee has
 * shown it to the call's reader ({@code LlmCall.responseBody}, on the thread that delivers it), so
 * the time of that call per chunk IS the added delay. Chunks are single OpenAI SSE events (~300
 * bytes, a content delta each), as a streaming server flushes them; the call lives for the whole
 * stream, as it does in the agent (a new call every 1000 chunks). Usage estimation on (the default:
 * the output text is collected). The agent's own tee adds one {@code System.nanoTime()} and an
 * uncontended lock per chunk on top (tens of nanoseconds).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ChunkDelay -f 1 -wi 3 -i 5}; goal:
 * under 2 us per chunk. On a loaded machine (wall time per op inflated by preemption) use {@link
 * #main} instead: {@code java -cp benchmarks/target/benchmarks.jar
 * io.llmobserve.benchmarks.ChunkDelayBenchmark}, which reports the thread's CPU time per chunk (the
 * work done before the chunk is passed on), unaffected by other processes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkDelayBenchmark {
  private static final LlmEndpoint ENDPOINT = new LlmEndpoint("openai", "chat");
  private static final HeaderReader SSE =
      name -> "content-type".equals(name) ? "text/event-stream" : null;
  private static final int CHUNKS_PER_CALL = 1000;

  private final byte[][] events = new byte[10][];
  private LlmCall call;
  private int sent;

  @Setup
  public void setUp() {
    String[] words = {
      "Hello", " there", "! How", " can", " I", " help", " you", " today", "?", " \\\"quoted\\\""
    };
    for (int i = 0; i < events.length; i++) {
      events[i] =
          ("data: {\"id\":\"chatcmpl-AyPyvNTtD3Yq5yLNmGeWc4wBqTdga\",\"object\":\"chat.completion"
                  + ".chunk\",\"created\":1739019357,\"model\":\"gpt-4o-mini-2024-07-18\","
                  + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_72ed7ab54c\","
                  + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                  + words[i]
                  + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n")
              .getBytes(StandardCharsets.UTF_8);
    }
    newCall();
  }

  private void newCall() {
    call = new LlmCall(ENDPOINT, System.nanoTime(), false);
    call.responseHeaders(200, SSE);
    sent = 0;
  }

  /** CPU time per chunk on this thread: warm-up, then 5 rounds of n chunks; prints each round. */
  public static void main(String[] args) {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    ChunkDelayBenchmark b = new ChunkDelayBenchmark();
    b.setUp();
    long sink = 0;
    for (int i = 0; i < 2_000_000; i++) {
      sink += b.chunk().hashCode();
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    for (int round = 0; round < 5; round++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        sink += b.chunk().hashCode();
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      System.out.printf("round %d: %.0f ns CPU per chunk%n", round + 1, (double) cpu / n);
    }
    System.out.println(sink == 42 ? "" : "done");
  }

  /** One chunk through the call's reader: the delay the app sees on that chunk. */
  @Benchmark
  public LlmCall chunk() {
    if (sent >= CHUNKS_PER_CALL) {
      newCall(); // amortised: one call's setup per 1000 chunks
    }
    byte[] e = events[sent++ % events.length];
    call.responseBody(e, 0, e.length);
    return call;
  }
}
