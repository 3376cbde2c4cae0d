package io.llmobserve.agenttests.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The measured app of {@link StreamUsageOverheadHarness}: openai-java STREAMED chat calls (a
 * realistic multi-turn prompt), with or without {@code stream_options.include_usage}. Prints the
 * process CPU time per call after a warm-up. Args: simulator base URL, warm-up, calls,
 * includeUsage.
 */
public final class StreamOverheadApp {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int warmup = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    boolean includeUsage = Boolean.parseBoolean(args[3]);
    OpenAIClient client =
        OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey("sk-bench").maxRetries(0).build();
    ChatCompletionCreateParams.Builder b =
        ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini")
            .addSystemMessage(
                "You are a helpful assistant for a travel agency. Answer briefly and politely.")
            .addUserMessage(
                "Which documents do I need to travel from Germany to Japan for two weeks of holiday?")
            .addAssistantMessage(
                "A passport valid for the stay; no visa for up to 90 days. Anything else? 🙂")
            .addUserMessage(
                "Danke! Und brauche ich eine Reiseversicherung? 東京 und 大阪 stehen auf dem Plan.")
            .maxCompletionTokens(48);
    if (includeUsage) {
      b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    ChatCompletionCreateParams params = b.build();
    TokenizerLoadWatch load = new TokenizerLoadWatch();
    load.start();
    for (int i = 0; i < warmup; i++) {
      stream(client, params);
    }
    // the one-time tokenizer load is not a per-call cost: wait for it to finish (bounded) so that
    // it is reported on its own and the measured calls all count with the loaded tokenizer
    load.awaitIdle(Duration.ofMinutes(2));
    Thread.sleep(1_000);
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long loadCpu = load.cpuNanos;
    long loadAlloc = load.allocatedBytes;
    long alloc0 = allocated(threads);
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      stream(client, params);
    }
    long wall = System.nanoTime() - wall0;
    Thread.sleep(500); // exporter and counting thread work for these calls belongs to them
    long cpu = os.getProcessCpuTime() - cpu0;
    long alloc = allocated(threads) - alloc0;
    System.out.printf(
        "BENCH cpuNsPerCall=%d wallNsPerCall=%d allocBytesPerCall=%d tokenizerLoadCpuNs=%d"
            + " tokenizerLoadAllocBytes=%d tokenizerLoadCpuDuringMeasureNs=%d%n",
        cpu / calls, wall / calls, alloc / calls, loadCpu, loadAlloc, load.cpuNanos - loadCpu);
    client.close();
    System.exit(0);
  }

  private static long allocated(com.sun.management.ThreadMXBean threads) {
    long sum = 0;
    for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      if (a > 0) {
        sum += a;
      }
    }
    return sum;
  }

  /**
   * Follows the agent's tokenizer-loading thread ({@code llm-observe-token-count}, see DESIGN.md,
   * token estimates) by name: its CPU time and allocated bytes are the one-time load, reported
   * apart from the per-call cost. The thread idles out 30 s after the load, so it is sampled while
   * alive.
   */
  static final class TokenizerLoadWatch extends Thread {
    private static final String NAME = "llm-observe-token-count";
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    volatile long cpuNanos;
    volatile long allocatedBytes;
    volatile long lastChangeNanos = System.nanoTime();

    TokenizerLoadWatch() {
      super("tokenizer-load-watch");
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        while (true) {
          for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (NAME.equals(t.getName())) {
              long cpu = threads.getThreadCpuTime(t.getId());
              long alloc = threads.getThreadAllocatedBytes(t.getId());
              if (cpu > cpuNanos) {
                cpuNanos = cpu;
                lastChangeNanos = System.nanoTime();
              }
              if (alloc > allocatedBytes) {
                allocatedBytes = alloc;
              }
            }
          }
          Thread.sleep(50);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Returns once the loader has used no CPU for 2 s (or never ran), at most after max. */
    void awaitIdle(Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (System.nanoTime() - lastChangeNanos < 2_000_000_000L && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
  }

  private static void stream(OpenAIClient client, ChatCompletionCreateParams params) {
    try (StreamResponse<ChatCompletionChunk> s =
        client.chat().completions().createStreaming(params)) {
      s.stream().forEach(c -> {});
    }
  }
}
