package io.llmobserve.agenttests.bench.clients;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmobserve.agenttests.bench.BenchClient;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** openai-java on OkHttp 4 (chat, createStreaming); non-LLM: a plain OkHttp GET. */
public final class OpenAiOkHttpBench implements BenchClient {
  private OpenAIClient client;
  private ChatCompletionCreateParams params;
  private OkHttpClient okHttp;
  private Request health;

  @Override
  public String name() {
    return "okhttp";
  }

  /** openai-java builds the request paths itself: {@code chatPath} must be {@link #CHAT_PATH}. */
  @Override
  public boolean choosesItsPaths() {
    return false;
  }

  @Override
  public void open(String baseUrl, String chatPath) {
    if (!CHAT_PATH.equals(chatPath)) {
      throw new IllegalArgumentException("openai-java builds its own paths: " + chatPath);
    }
    client =
        OpenAIOkHttpClient.builder().baseUrl(baseUrl + "/v1").apiKey(API_KEY).maxRetries(0).build();
    params =
        ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini")
            .addUserMessage("Say hello")
            .maxCompletionTokens(32)
            .build();
    okHttp = new OkHttpClient();
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
}
