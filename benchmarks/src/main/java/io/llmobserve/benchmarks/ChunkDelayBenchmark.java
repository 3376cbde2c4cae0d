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
 * under 2 us per chunk.
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
