package io.llmobserve.agenttests.bench.clients;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.llmobserve.agenttests.bench.BenchClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * langchain4j's OpenAI models on its default JDK HTTP client: a chat and a streamed chat as an app
 * makes them with the SDK (request JSON built, response JSON parsed into the SDK's objects), so the
 * agent's cost is seen against a whole SDK call rather than a bare HTTP exchange. langchain4j
 * builds the path itself ({@code <baseUrl>/chat/completions}); the twin gets its trailing slash
 * from a URL-rewriting layer between the SDK and its JDK client. Both sides go through that layer
 * (the observed side with nothing appended), so both run the same code and the rewrite cancels out.
 */
public final class LangChain4jJdkBench implements BenchClient {
  private OpenAiChatModel chatModel;
  private OpenAiStreamingChatModel streamingModel;
  private java.net.http.HttpClient plain;
  private URI health;

  @Override
  public String name() {
    return "langchain4j-jdk";
  }

  @Override
  public void open(String baseUrl, String chatPath) {
    boolean twin = BenchClient.isTwinPath(chatPath, "langchain4j");
    String v1 = baseUrl + "/v1";
    chatModel =
        OpenAiChatModel.builder()
            .baseUrl(v1)
            .apiKey(API_KEY)
            .modelName("gpt-4o-mini")
            .maxCompletionTokens(32)
            .httpClientBuilder(new TwinPathClientBuilder(twin))
            .build();
    streamingModel =
        OpenAiStreamingChatModel.builder()
            .baseUrl(v1)
            .apiKey(API_KEY)
            .modelName("gpt-4o-mini")
            .maxCompletionTokens(32)
            .httpClientBuilder(new TwinPathClientBuilder(twin))
            .build();
    plain = java.net.http.HttpClient.newHttpClient();
    health = URI.create(baseUrl + NON_LLM_PATH);
  }

  @Override
  public long chat() {
    return chatModel.chat("Say hello").length();
  }

  @Override
  public long stream() throws Exception {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    streamingModel.chat(
        "Say hello",
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partialResponse) {}

          @Override
          public void onCompleteResponse(ChatResponse completeResponse) {
            done.complete(completeResponse);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    return done.get(30, TimeUnit.SECONDS).aiMessage().text().length();
  }

  @Override
  public long nonLlm() throws Exception {
    return plain
        .send(
            java.net.http.HttpRequest.newBuilder(health).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body()
        .length();
  }

  /** Builds langchain4j's JDK client, behind a layer that moves the twin's calls to its path. */
  private static final class TwinPathClientBuilder implements HttpClientBuilder {
    private final JdkHttpClientBuilder jdk =
        JdkHttpClient.builder().httpClientBuilder(java.net.http.HttpClient.newBuilder());
    private final boolean twin;

    TwinPathClientBuilder(boolean twin) {
      this.twin = twin;
    }

    @Override
    public Duration connectTimeout() {
      return jdk.connectTimeout();
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      jdk.connectTimeout(timeout);
      return this;
    }

    @Override
    public Duration readTimeout() {
      return jdk.readTimeout();
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      jdk.readTimeout(timeout);
      return this;
    }

    @Override
    public HttpClient build() {
      return new PathSuffixClient(jdk.build(), twin ? "/" : "");
    }
  }

  /** Sends every request to its URL plus {@code suffix} ("/" for the twin), all else unchanged. */
  private static final class PathSuffixClient implements HttpClient {
    private final HttpClient delegate;
    private final String suffix;

    PathSuffixClient(HttpClient delegate, String suffix) {
      this.delegate = delegate;
      this.suffix = suffix;
    }

    private HttpRequest withSuffix(HttpRequest r) {
      return HttpRequest.builder()
          .method(r.method())
          .url(r.url() + suffix)
          .headers(r.headers())
          .body(r.body())
          .build();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
      return delegate.execute(withSuffix(request));
    }

    @Override
    public void execute(
        HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
      delegate.execute(withSuffix(request), parser, listener);
    }
  }
}
