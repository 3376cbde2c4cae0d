package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.values;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many tasks the JDK client hands to its executor per LLM call (each is a wake-up of a pool
 * thread): chat read with {@code ofString}, a stream with {@code ofInputStream}. Run with and
 * without the agent, the counts show whether the agent's tee adds hand-offs. Prints {@code RESULT
 * handoffs chat=<tasks per call> stream=<tasks per call>}. Args: simulator base URL.
 */
public final class JdkHandOffScenario {
  static final int CALLS = 40;

  private JdkHandOffScenario() {}

  public static void main(String[] args) throws Exception {
    URI chat = URI.create(args[0] + "/v1/chat/completions");
    AtomicLong tasks = new AtomicLong();
    ExecutorService pool = Executors.newCachedThreadPool();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(
                task -> {
                  tasks.incrementAndGet();
                  pool.execute(task);
                })
            .build();
    String body =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
            + ",\"max_tokens\":8%s}";
    HttpRequest chatRequest =
        HttpRequest.newBuilder(chat)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(String.format(body, "")))
            .build();
    HttpRequest streamRequest =
        HttpRequest.newBuilder(chat)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(String.format(body, ",\"stream\":true")))
            .build();
    double[] perCall = new double[2];
    for (int op = 0; op < 2; op++) {
      for (int i = 0; i < CALLS + 5; i++) {
        if (i == 5) {
          tasks.set(0); // the first calls open the connection
        }
        if (op == 0) {
          client.send(chatRequest, HttpResponse.BodyHandlers.ofString()).body();
        } else {
          try (InputStream in =
              client.send(streamRequest, HttpResponse.BodyHandlers.ofInputStream()).body()) {
            in.readAllBytes();
          }
        }
      }
      perCall[op] = tasks.get() / (double) CALLS;
    }
    Results.print("handoffs", values("chat", perCall[0], "stream", perCall[1]));
    pool.shutdown();
    System.exit(0);
  }
}
