package io.llmobserve.agenttests.bench.clients;

import io.llmobserve.agenttests.bench.BenchClient;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/** Reactor Netty's HttpClient (what Spring WebClient runs on): aggregate; stream chunk by chunk. */
public final class ReactorNettyBench implements BenchClient {
  private HttpClient client;
  private String base;
  private String chatPath;

  @Override
  public String name() {
    return "reactor-netty";
  }

  @Override
  public void open(String baseUrl, String chatPath) {
    base = baseUrl;
    this.chatPath = chatPath;
    client =
        HttpClient.create()
            .headers(
                h ->
                    h.set("Authorization", "Bearer " + API_KEY)
                        .set("Content-Type", "application/json"));
  }

  private HttpClient.ResponseReceiver<?> post(String body) {
    return client
        .post()
        .uri(base + chatPath)
        .send(
            ByteBufFlux.fromString(
                Mono.just(body), StandardCharsets.UTF_8, ByteBufAllocator.DEFAULT));
  }

  @Override
  public long chat() {
    return post(CHAT_BODY).responseContent().aggregate().asString().block().length();
  }

  @Override
  public long stream() {
    Long n =
        post(STREAM_BODY)
            .responseContent()
            .map(b -> (long) b.readableBytes())
            .reduce(0L, Long::sum)
            .block();
    return n == null ? 0 : n;
  }

  @Override
  public long nonLlm() {
    return client
        .get()
        .uri(base + NON_LLM_PATH)
        .responseContent()
        .aggregate()
        .asString()
        .block()
        .length();
  }
}
