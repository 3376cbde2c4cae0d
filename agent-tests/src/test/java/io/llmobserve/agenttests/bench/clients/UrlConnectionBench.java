package io.llmobserve.agenttests.bench.clients;

import io.llmobserve.agenttests.bench.BenchClient;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** The JDK's HttpURLConnection (keep-alive): write the body, read the response to the end. */
public final class UrlConnectionBench implements BenchClient {
  private URL chat;
  private URL health;

  @Override
  public String name() {
    return "urlconnection";
  }

  @Override
  public void open(String baseUrl, String chatPath) throws Exception {
    chat = new URL(baseUrl + chatPath);
    health = new URL(baseUrl + NON_LLM_PATH);
  }

  private long post(String body) throws Exception {
    HttpURLConnection c = (HttpURLConnection) chat.openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    c.setRequestProperty("Authorization", "Bearer " + API_KEY);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    c.setFixedLengthStreamingMode(bytes.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(bytes);
    }
    return Drain.all(c.getInputStream());
  }

  @Override
  public long chat() throws Exception {
    return post(CHAT_BODY);
  }

  @Override
  public long stream() throws Exception {
    return post(STREAM_BODY);
  }

  @Override
  public long nonLlm() throws Exception {
    HttpURLConnection c = (HttpURLConnection) health.openConnection();
    return Drain.all(c.getInputStream());
  }
}
