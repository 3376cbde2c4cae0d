package io.llmobserve.agenttests.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.lang.management.ManagementFactory;

/**
 * The measured app: openai-java sync chat calls against the simulator. After a warm-up, it
 * reports the process CPU time (all threads: app, OkHttp, agent, exporter) per call.
 * Args: simulator base URL, warm-up calls, measured calls.
 */
public final class OverheadApp {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int warmup = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey("sk-bench").maxRetries(0).build();
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage("Say hello").maxCompletionTokens(32).build();
    for (int i = 0; i < warmup; i++) {
      client.chat().completions().create(params);
    }
    Thread.sleep(1_000); // let the exporter drain the warm-up spans
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      client.chat().completions().create(params);
    }
    long wall = System.nanoTime() - wall0;
    Thread.sleep(500); // the batch exporter's work for these calls belongs to them (same wait for every variant)
    long cpu = os.getProcessCpuTime() - cpu0;
    System.out.printf("BENCH cpuNsPerCall=%d wallNsPerCall=%d%n", cpu / calls, wall / calls);
    client.close();
    System.exit(0);
  }
}
