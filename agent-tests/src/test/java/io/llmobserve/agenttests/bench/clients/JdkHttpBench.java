package io.llmobserve.agenttests.bench.clients;

import io.llmobserve.agenttests.bench.BenchClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** java.net.http.HttpClient (HTTP/1.1): send + ofString; stream with ofInputStream. */
public final class JdkHttpBench implements BenchClient {
  private HttpClient client;
  private URI chat;
  private URI health;

  @Override
  public String name() {
    return "jdk";
  }

  @Override
  public void open(String baseUrl, String chatPath) {
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    chat = URI.create(baseUrl + chatPath);
    health = URI.create(baseUrl + NON_LLM_PATH);
  }

  private HttpRequest post(String body) {
    return HttpRequest.newBuilder(chat)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  @Override
  public long chat() throws Exception {
    return client.send(post(CHAT_BODY), HttpResponse.BodyHandlers.ofString()).body().length();
  }

  @Override
  public long stream() throws Exception {
    HttpResponse<InputStream> r =
        client.send(post(STREAM_BODY), HttpResponse.BodyHandlers.ofInputStream());
    return Drain.all(r.body());
  }

  @Override
  public long nonLlm() throws Exception {
    return client
        .send(HttpRequest.newBuilder(health).GET().build(), HttpResponse.BodyHandlers.ofString())
        .body()
        .length();
  }
}
