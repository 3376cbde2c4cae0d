package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * openai-java 4.x (OkHttp 4 underneath) against the simulator's OpenAI route: sync, raw body,
 * streaming with include_usage, async, async streaming, the Responses API, and Azure mode. Args:
 * simulator base URL.
 */
public final class OpenAiSdkScenario {
  public static final String API_KEY = "sk-test-SECRET123";

  public static void main(String[] args) {
    OpenAIClient client =
        OpenAIOkHttpClient.builder().baseUrl(args[0] + "/v1").apiKey(API_KEY).maxRetries(0).build();

    call(
        "openai.chat.sync",
        () -> {
          ChatCompletion c =
              client.chat().completions().create(chat("openai.chat.sync", "gpt-4o-mini").build());
          return values(
              "id",
              c.id(),
              "model",
              c.model(),
              "finish",
              c.choices().get(0).finishReason().asString(),
              "input",
              c.usage().map(u -> u.promptTokens()).orElse(-1L),
              "output",
              c.usage().map(u -> u.completionTokens()).orElse(-1L));
        });

    call(
        "openai.chat.raw",
        () -> {
          try (HttpResponseFor<ChatCompletion> r =
                  client
                      .chat()
                      .completions()
                      .withRawResponse()
                      .create(chat("openai.chat.raw", "gpt-4o").build());
              InputStream body = r.body()) {
            return values(
                "status",
                r.statusCode(),
                "sha256",
                Results.sha256(body.readAllBytes()),
                "requestId",
                r.requestId().orElse(""));
          }
        });

    call(
        "openai.chat.stream",
        () -> {
          ChatCompletionCreateParams params =
              chat("openai.chat.stream", "gpt-4o-mini")
                  .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                  .build();
          StringBuilder text = new StringBuilder();
          AtomicReference<String> model = new AtomicReference<>("");
          AtomicReference<String> finish = new AtomicReference<>("");
          AtomicReference<Long> output = new AtomicReference<>(-1L);
          AtomicInteger chunks = new AtomicInteger();
          try (StreamResponse<ChatCompletionChunk> s =
              client.chat().completions().createStreaming(params)) {
            s.stream()
                .forEach(
                    chunk -> {
                      chunks.incrementAndGet();
                      if (!chunk.model().isEmpty()) {
                        model.set(chunk.model());
                      }
                      chunk
                          .choices()
                          .forEach(
                              ch -> {
                                ch.delta().content().ifPresent(text::append);
                                ch.finishReason().ifPresent(f -> finish.set(f.asString()));
                              });
                      chunk.usage().ifPresent(u -> output.set(u.completionTokens()));
                    });
          }
          return values(
              "chunks",
              chunks.get(),
              "model",
              model.get(),
              "finish",
              finish.get(),
              "output",
              output.get(),
              "textLength",
              text.length());
        });

    call(
        "openai.chat.async",
        () -> {
          ChatCompletion c =
              client
                  .async()
                  .chat()
                  .completions()
                  .create(chat("openai.chat.async", "gpt-4.1-mini").build())
                  .get(30, TimeUnit.SECONDS);
          return values(
              "id",
              c.id(),
              "model",
              c.model(),
              "output",
              c.usage().map(u -> u.completionTokens()).orElse(-1L));
        });

    call(
        "openai.chat.async.stream",
        () -> {
          ChatCompletionCreateParams params =
              chat("openai.chat.async.stream", "gpt-4o")
                  .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                  .build();
          AtomicInteger chunks = new AtomicInteger();
          AtomicReference<Long> output = new AtomicReference<>(-1L);
          AsyncStreamResponse<ChatCompletionChunk> s =
              client.async().chat().completions().createStreaming(params);
          s.subscribe(
              chunk -> {
                chunks.incrementAndGet();
                chunk.usage().ifPresent(u -> output.set(u.completionTokens()));
              });
          CompletableFuture<Void> done = s.onCompleteFuture();
          done.get(30, TimeUnit.SECONDS);
          return values("chunks", chunks.get(), "output", output.get());
        });

    call(
        "openai.responses.sync",
        () -> {
          Response r = client.responses().create(responses("openai.responses.sync", "gpt-4o-mini"));
          return values(
              "id",
              r.id(),
              "model",
              r.model()
                  .chat()
                  .map(m -> m.asString())
                  .orElseGet(() -> r.model().string().orElse("")),
              "output",
              r.usage().map(u -> u.outputTokens()).orElse(-1L));
        });

    call(
        "openai.responses.stream",
        () -> {
          AtomicInteger events = new AtomicInteger();
          AtomicReference<Long> output = new AtomicReference<>(-1L);
          try (StreamResponse<ResponseStreamEvent> s =
              client.responses().createStreaming(responses("openai.responses.stream", "gpt-4o"))) {
            s.stream()
                .forEach(
                    e -> {
                      events.incrementAndGet();
                      e.completed()
                          .flatMap(c -> c.response().usage())
                          .ifPresent(u -> output.set(u.outputTokens()));
                    });
          }
          return values("events", events.get(), "output", output.get());
        });

    // The same SDK in Azure mode: api-key credential, api-version, /openai/deployments/{model}/...
    // paths.
    OpenAIClient azure =
        OpenAIOkHttpClient.builder()
            .baseUrl(args[0])
            .credential(AzureApiKeyCredential.create(JdkHttpClientScenario.AZURE_KEY))
            .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
            .azureUrlPathMode(AzureUrlPathMode.LEGACY)
            .maxRetries(0)
            .build();
    call(
        "openai.azure.sync",
        () -> {
          ChatCompletion c =
              azure
                  .chat()
                  .completions()
                  .create(chat("openai.azure.sync", "gpt-4o-eastus2").build());
          return values(
              "id",
              c.id(),
              "model",
              c.model(),
              "output",
              c.usage().map(u -> u.completionTokens()).orElse(-1L));
        });
    call(
        "openai.azure.stream",
        () -> {
          AtomicReference<Long> output = new AtomicReference<>(-1L);
          try (StreamResponse<ChatCompletionChunk> s =
              azure
                  .chat()
                  .completions()
                  .createStreaming(
                      chat("openai.azure.stream", "gpt-4o-swedencentral")
                          .streamOptions(
                              ChatCompletionStreamOptions.builder().includeUsage(true).build())
                          .build())) {
            s.stream()
                .forEach(chunk -> chunk.usage().ifPresent(u -> output.set(u.completionTokens())));
          }
          return values("output", output.get());
        });

    azure.close();
    client.close();
  }

  static ChatCompletionCreateParams.Builder chat(String label, String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addUserMessage("Say hello to " + label)
        .maxCompletionTokens(64)
        .putAdditionalHeader(CALL_HEADER, label);
  }

  static ResponseCreateParams responses(String label, String model) {
    return ResponseCreateParams.builder()
        .model(model)
        .input("Say hello to " + label)
        .maxOutputTokens(64)
        .putAdditionalHeader(CALL_HEADER, label)
        .build();
  }
}
