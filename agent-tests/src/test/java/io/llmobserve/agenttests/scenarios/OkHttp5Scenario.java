package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Raw OkHttp calls (execute and enqueue, JSON and SSE). Compiled against OkHttp 4 (the SDKs'
 * version; the calls used are source- and binary-compatible) and run by the tests on a classpath
 * holding only OkHttp 5. Must use nothing but the JDK, OkHttp and {@link Results}. Args: simulator
 * base URL.
 */
public final class OkHttp5Scenario {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    OkHttpClient client = new OkHttpClient.Builder().build();
    // Read at run time (the constant would be inlined from the OkHttp 4 it was compiled against).
    call(
        "okhttp.version",
        () -> values("okhttp", okhttp3.OkHttp.class.getField("VERSION").get(null)));

    call(
        "okhttp.execute",
        () -> {
          try (Response r =
              client.newCall(request(base, "okhttp.execute", "gpt-4o-mini", false)).execute()) {
            return describe(r);
          }
        });

    call(
        "okhttp.execute.stream",
        () -> {
          try (Response r =
              client.newCall(request(base, "okhttp.execute.stream", "gpt-4o", true)).execute()) {
            return describe(r);
          }
        });

    call(
        "okhttp.enqueue",
        () -> enqueue(client, request(base, "okhttp.enqueue", "gpt-4o-mini", false)));
    call(
        "okhttp.enqueue.stream",
        () -> enqueue(client, request(base, "okhttp.enqueue.stream", "gpt-4o", true)));

    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    System.out.println("DONE");
    System.exit(0);
  }

  static Map<String, String> enqueue(OkHttpClient client, Request request) throws Exception {
    CompletableFuture<Map<String, String>> done = new CompletableFuture<>();
    client
        .newCall(request)
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                done.completeExceptionally(e);
              }

              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  done.complete(describe(response));
                } catch (Exception e) {
                  done.completeExceptionally(e);
                }
              }
            });
    return done.get(30, TimeUnit.SECONDS);
  }

  static Map<String, String> describe(Response r) throws IOException {
    byte[] body = r.body().bytes();
    return values(
        "status",
        r.code(),
        "sha256",
        Results.sha256(body),
        "requestId",
        r.header("x-request-id", ""),
        "protocol",
        r.protocol());
  }

  static Request request(String base, String label, String model, boolean stream) {
    return new Request.Builder()
        .url(base + "/v1/chat/completions")
        .header("Authorization", "Bearer " + OpenAiSdkScenario.API_KEY)
        .header(CALL_HEADER, label)
        .post(
            RequestBody.create(
                JdkHttpClientScenario.chatBody(model, stream), MediaType.get("application/json")))
        .build();
  }
}
