package io.llmobserve.agent.smoke;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The app run under the agent by the smoke test, against the simulator the test runs: one LLM call
 * per scenario, each with its own model name so the test can find its span. It checks that the
 * bytes it receives are what the server sent (the agent must not change them) and exits non-zero
 * otherwise. It stays alive until the test closes its stdin, which the test does once it has seen
 * every span: calls abandoned by the app end by GC or the idle deadline, in this JVM.
 */
public final class LlmTrafficApp {
  private static final MediaType JSON = MediaType.get("application/json");

  public static void main(String[] args) throws Exception {
    // args[0] = the simulator's base URL (the test configured it as an LLM endpoint for the agent)
    // args[1] = "okhttp5": only the OkHttp scenarios, model names prefixed okhttp5- (run with
    // OkHttp 5)
    // args[2] (optional) = base URL of an h2c-capable LLM server (the simulator): JDK HTTP/2 calls
    String base = args[0];
    boolean okOnly = args.length > 1 && "okhttp5".equals(args[1]);
    String okPrefix = okOnly ? "okhttp5" : "okhttp";
    OkHttpClient ok = new OkHttpClient();
    if (!okOnly) {
      jdkScenarios(base);
      // after the first calls: a cold JVM on a loaded machine can take longer than the idle
      // deadline to send its very first request
      jdkAbandon(base);
      if (args.length > 2) {
        jdkHttp2Scenarios(args[2]);
      }
    }
    okHttpScenarios(base, ok, okPrefix);
    lookAtHeadersOnly(ok, base, okPrefix + "-abandoned");
    System.out.println("APP WAITING");
    awaitTestDone();
    System.out.println("APP DONE");
  }

  /**
   * Blocks until the test closes stdin. Meanwhile it collects garbage, as a real app's allocations
   * would, so a response body dropped unread becomes unreachable for the agent's watch to see.
   */
  static void awaitTestDone() throws java.io.IOException {
    ScheduledExecutorService gc =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "app-gc");
              t.setDaemon(true);
              return t;
            });
    gc.scheduleWithFixedDelay(System::gc, 0, 100, TimeUnit.MILLISECONDS);
    try {
      while (System.in.read() != -1) {
        // the test writes nothing; it closes the stream
      }
    } finally {
      gc.shutdownNow();
    }
  }

  /** Looks at the status and headers of a stream that stays open, and drops it unread. */
  static void jdkAbandon(String base) throws Exception {
    HttpClient jdk = HttpClient.newHttpClient();
    HttpResponse<InputStream> r =
        jdk.send(
            post(base, "jdk-stalled-abandoned", true), HttpResponse.BodyHandlers.ofInputStream());
    check(
        r.statusCode() == 200 && r.headers().firstValue("x-request-id").isPresent(),
        "jdk abandoned: headers");
  }

  /** Reads the status and a header, never touches the body, drops the response, lets GC find it. */
  private static void lookAtHeadersOnly(OkHttpClient ok, String base, String model)
      throws Exception {
    Response r = ok.newCall(okPost(base, model, true)).execute();
    check(r.code() == 200 && r.header("x-request-id") != null, model + ": headers");
  }

  /**
   * JDK client forced to HTTP/2 against an h2c server: a first bodiless GET upgrades the connection
   * (the JDK offers h2c only then), the POSTs reuse it as HTTP/2.
   */
  static void jdkHttp2Scenarios(String h2Base) throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    h2.send(
        HttpRequest.newBuilder(URI.create(h2Base + "/health")).GET().build(),
        HttpResponse.BodyHandlers.discarding());

    HttpResponse<String> sync =
        h2.send(post(h2Base, "jdk-h2-sync", false), HttpResponse.BodyHandlers.ofString());
    check(
        sync.statusCode() == 200 && sync.body().contains("\"usage\""),
        "jdk h2 sync: " + sync.body());
    check(sync.version() == HttpClient.Version.HTTP_2, "jdk h2 sync was " + sync.version());

    HttpResponse<InputStream> streamed =
        h2.send(post(h2Base, "jdk-h2-stream", true), HttpResponse.BodyHandlers.ofInputStream());
    String sse = readAll(streamed.body());
    check(
        sse.endsWith("data: [DONE]\n\n") && sse.contains("\"usage\""),
        "jdk h2 stream intact: " + sse);
    check(
        streamed.version() == HttpClient.Version.HTTP_2, "jdk h2 stream was " + streamed.version());
    System.out.println("H2 VERSIONS " + sync.version() + " " + streamed.version());
  }

  static void jdkScenarios(String base) throws Exception {
    HttpClient jdk = HttpClient.newHttpClient();
    String json =
        jdk.send(post(base, "jdk-sync", false), HttpResponse.BodyHandlers.ofString()).body();
    check(
        json.contains("\"model\":\"jdk-sync\"") && json.endsWith("}"),
        "jdk sync body intact: " + json);

    HttpResponse<InputStream> streamed =
        jdk.send(post(base, "jdk-stream", true), HttpResponse.BodyHandlers.ofInputStream());
    String sse = readAll(streamed.body());
    check(sse.endsWith("data: [DONE]\n\n") && sse.contains("\"usage\""), "jdk stream intact");

    String async =
        jdk.sendAsync(post(base, "jdk-async", true), HttpResponse.BodyHandlers.ofString())
            .get(10, TimeUnit.SECONDS)
            .body();
    check(async.endsWith("data: [DONE]\n\n"), "jdk async stream intact");

    int status =
        jdk.send(post(base, "jdk-ratelimited", false), HttpResponse.BodyHandlers.ofString())
            .statusCode();
    check(status == 429, "429 passed through");

    String health =
        jdk.send(
                HttpRequest.newBuilder(URI.create(base + "/_sim/health")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    check(health.contains("\"ok\""), "non-LLM traffic intact: " + health);

    // the app stops reading a stream early: the span still ends (on cancel)
    HttpResponse<InputStream> early =
        jdk.send(post(base, "jdk-closed-early", true), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = early.body()) {
      check(in.read(new byte[5]) > 0, "first bytes of the stream");
    }

    // a connection failure reaches the app unchanged and ends the span with error.type
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try {
      jdk.send(
          post("http://127.0.0.1:" + closedPort, "jdk-refused", false),
          HttpResponse.BodyHandlers.ofString());
      check(false, "connection to a closed port must fail");
    } catch (ConnectException expected) {
      System.out.println("refused as expected");
    }
  }

  static void okHttpScenarios(String base, OkHttpClient ok, String prefix) throws Exception {

    try (Response r = ok.newCall(okPost(base, prefix + "-sync", false)).execute()) {
      String b = r.body().string();
      check(b.contains("\"model\":\"" + prefix + "-sync\""), "okhttp sync body intact");
    }
    try (Response r = ok.newCall(okPost(base, prefix + "-stream", true)).execute()) {
      String b = readAll(r.body().byteStream());
      check(b.endsWith("data: [DONE]\n\n"), "okhttp stream intact");
    }
    // a client derived from another one must not get the interceptor twice
    OkHttpClient derived = ok.newBuilder().build();
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<String> asyncBody = new AtomicReference<>();
    derived
        .newCall(okPost(base, prefix + "-async", true))
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                done.countDown();
              }

              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                  asyncBody.set(response.body().string());
                } finally {
                  done.countDown();
                }
              }
            });
    check(done.await(10, TimeUnit.SECONDS), "okhttp async finished");
    check(
        asyncBody.get() != null && asyncBody.get().endsWith("data: [DONE]\n\n"),
        "okhttp async intact");
    long ours =
        derived.interceptors().stream()
            .filter(i -> i.getClass().getName().startsWith("io.llmobserve"))
            .count();
    System.out.println("LLM_INTERCEPTORS " + ours);
    check(ours == 1, "exactly one llm interceptor on a derived client, found " + ours);
    ok.dispatcher().executorService().shutdown();
    ok.connectionPool().evictAll();
  }

  static HttpRequest post(String base, String model, boolean stream) {
    return HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer sk-secret-test")
        .POST(HttpRequest.BodyPublishers.ofString(body(model, stream)))
        .build();
  }

  static Request okPost(String base, String model, boolean stream) {
    return new Request.Builder()
        .url(base + "/v1/chat/completions")
        .header("Authorization", "Bearer sk-secret-test")
        .post(RequestBody.create(body(model, stream), JSON))
        .build();
  }

  static String body(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"max_tokens\":5,\"stream\":"
        + stream
        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
        + "}";
  }

  static String readAll(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      System.out.println("APP CHECK FAILED: " + what);
      System.exit(3);
    }
  }
}
