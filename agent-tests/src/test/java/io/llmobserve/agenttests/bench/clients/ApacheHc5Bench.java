package io.llmobserve.agenttests.bench.clients;

import io.llmobserve.agenttests.bench.BenchClient;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/** Apache HttpClient 5 classic: execute with a response handler; stream read from the entity. */
public final class ApacheHc5Bench implements BenchClient {
  private CloseableHttpClient client;
  private String base;
  private String chatPath;

  @Override
  public String name() {
    return "apache-hc5";
  }

  @Override
  public void open(String baseUrl, String chatPath) {
    client = HttpClients.createDefault();
    base = baseUrl;
    this.chatPath = chatPath;
  }

  private HttpPost post(String body) {
    HttpPost post = new HttpPost(base + chatPath);
    post.setHeader("Authorization", "Bearer " + API_KEY);
    post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    return post;
  }

  @Override
  public long chat() throws Exception {
    return client.execute(post(CHAT_BODY), r -> EntityUtils.toString(r.getEntity())).length();
  }

  @Override
  public long stream() throws Exception {
    return client.execute(post(STREAM_BODY), r -> Drain.all(r.getEntity().getContent()));
  }

  @Override
  public long nonLlm() throws Exception {
    return client
        .execute(new HttpGet(base + NON_LLM_PATH), r -> EntityUtils.toString(r.getEntity()))
        .length();
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
