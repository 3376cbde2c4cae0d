package io.llmobserve.agenttests.bench.clients;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmobserve.agenttests.bench.BenchClient;
import java.util.concurrent.CompletableFuture;
import okhttp3.Request;
import okhttp3.Response;

/**
 * openai-java on OkHttp 4 (chat, createStreaming); non-LLM: a plain OkHttp GET. openai-java builds
 * its own paths; the twin gets its trailing slash from a layer between the SDK and its OkHttp-based
 * HTTP client ({@code ClientOptions.httpClient}). Both sides go through that layer (the observed
 * side with nothing appended), so both run the same code.
 */
public final class OpenAiOkHttpBench implements BenchClient {
  /**
   * One OkHttp client (pool, dispatcher, connections) under both sides: with a client each, the
   * twin's allocation per call sat 8 KB above or below the observed side's, which of the two
   * changing from JVM to JVM, also with the upstream agent on both sides (floor 0.92).
   */
  private static final okhttp3.OkHttpClient SHARED = new okhttp3.OkHttpClient();

  private OpenAIClient client;
  private ChatCompletionCreateParams params;
  private okhttp3.OkHttpClient okHttp;
  private Request health;

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public void open(String baseUrl, String chatPath) {
    boolean twin = BenchClient.isTwinPath(chatPath, "openai-java");
    client =
        new OpenAIClientImpl(
            ClientOptions.builder()
                .httpClient(new PathSuffixClient(new OkHttpClient(SHARED), twin))
                .baseUrl(baseUrl + "/v1")
                .apiKey(API_KEY)
                .maxRetries(0)
                .build());
    params =
        ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini")
            .addUserMessage("Say hello")
            .maxCompletionTokens(32)
            .build();
    okHttp = new okhttp3.OkHttpClient();
    health = new Request.Builder().url(baseUrl + NON_LLM_PATH).build();
  }

  @Override
  public long chat() {
    return client.chat().completions().create(params).choices().size();
  }

  @Override
  public long stream() {
    long n = 0;
    try (StreamResponse<ChatCompletionChunk> s =
        client.chat().completions().createStreaming(params)) {
      n = s.stream().count();
    }
    return n;
  }

  @Override
  public long nonLlm() throws Exception {
    try (Response r = okHttp.newCall(health).execute()) {
      return r.body().bytes().length;
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** Sends every request with an empty last path segment (a trailing slash) for the twin. */
  private static final class PathSuffixClient implements HttpClient {
    private final HttpClient delegate;
    private final boolean twin;

    PathSuffixClient(HttpClient delegate, boolean twin) {
      this.delegate = delegate;
      this.twin = twin;
    }

    private HttpRequest withSuffix(HttpRequest request) {
      HttpRequest.Builder b = request.toBuilder();
      if (twin) {
        b.addPathSegment("");
      }
      return b.build();
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
      return delegate.execute(withSuffix(request), options);
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(
        HttpRequest request, RequestOptions options) {
      return delegate.executeAsync(withSuffix(request), options);
    }

    @Override
    public void close() {
      // not the delegate: its OkHttp client is SHARED by every instance and lives with the JVM
      // (closing it would shut the dispatcher and pool under a client opened later)
    }
  }
}
