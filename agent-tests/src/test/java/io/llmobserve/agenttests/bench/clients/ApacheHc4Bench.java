package io.llmobserve.agenttests.bench.clients;

import io.llmobserve.agenttests.bench.BenchClient;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/** Apache HttpClient 4.5 classic: execute with a response handler; stream read from the entity. */
public final class ApacheHc4Bench implements BenchClient {
  private CloseableHttpClient client;
  private String base;
  private String chatPath;

  @Override
  public String name() {
    return "apache-hc4";
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
