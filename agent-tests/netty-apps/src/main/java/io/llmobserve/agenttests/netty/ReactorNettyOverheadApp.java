package io.llmobserve.agenttests.netty;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * The overhead harness's Reactor Netty app (same contract as agent-tests' bench.OverheadApp):
 * sync-style Reactor Netty HttpClient calls against the simulator; after a warm-up it prints {@code
 * BENCH cpuNsPerCall=.. wallNsPerCall=..} (process CPU, all threads). Args: simulator base URL,
 * warm-up calls, measured calls, and optionally {@code plain} to call a non-LLM path ({@code GET
 * /_sim/health}) instead of a chat completion. Run on TestPaths.appsClasspath("netty-apps").
 */
public final class ReactorNettyOverheadApp {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int warmup = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    boolean plain = args.length > 3 && args[3].equals("plain");
    HttpClient client =
        HttpClient.create()
            .headers(
                h ->
                    h.set("Authorization", "Bearer sk-bench")
                        .set("Content-Type", "application/json"));
    String body =
        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    Runnable call =
        plain
            ? () ->
                client
                    .get()
                    .uri(base + "/_sim/health")
                    .responseSingle((r, b) -> b.asByteArray())
                    .block(Duration.ofSeconds(30))
            : () ->
                client
                    .post()
                    .uri(base + "/v1/chat/completions")
                    .send(ByteBufFlux.fromString(Mono.just(body)))
                    .responseSingle((r, b) -> b.asByteArray())
                    .block(Duration.ofSeconds(30));
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    Thread.sleep(1_000); // let the exporter drain the warm-up spans
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      call.run();
    }
    long wall = System.nanoTime() - wall0;
    Thread.sleep(500);
    long cpu = os.getProcessCpuTime() - cpu0;
    System.out.printf("BENCH cpuNsPerCall=%d wallNsPerCall=%d%n", cpu / calls, wall / calls);
    System.exit(0);
  }
}
