package io.llmobserve.agenttests.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

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
    for (int i = 0; i < warmup; i++) {
      stream(client, params);
    }
    Thread.sleep(1_000);
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      stream(client, params);
    }
    long wall = System.nanoTime() - wall0;
    Thread.sleep(500); // exporter and counting thread work for these calls belongs to them
    long cpu = os.getProcessCpuTime() - cpu0;
    System.out.printf("BENCH cpuNsPerCall=%d wallNsPerCall=%d%n", cpu / calls, wall / calls);
    client.close();
    System.exit(0);
  }

  private static void stream(OpenAIClient client, ChatCompletionCreateParams params) {
    try (StreamResponse<ChatCompletionChunk> s =
        client.chat().completions().createStreaming(params)) {
      s.stream().forEach(c -> {});
    }
  }
}
