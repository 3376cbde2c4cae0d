package io.llmobserve.demo;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.responses.ResponseCreateParams;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Weighted kinds of calls, each through a real SDK, as a mixed production service makes them. */
final class TrafficMix {
  /** One kind of call; throws whatever the SDK throws (429s, 5xx, timeouts). */
  interface Workload {
    void call(Ask ask) throws Exception;
  }

  /**
   * What the user asked and how long an answer the app allows (the simulator answers that many
   * tokens).
   */
  record Ask(String prompt, int maxTokens) {}

  record Entry(String name, int weight, Workload workload) {}

  private static final List<String> PROMPTS =
      List.of(
          "Summarise this support ticket in two sentences.",
          "Write a friendly reply to a customer asking about a refund.",
          "Extract the invoice number and total from the following text.",
          "Translate 'the delivery is delayed' into French and German.",
          "Classify the sentiment of: 'the app keeps crashing after the update'.",
          "Suggest three subject lines for a product launch email.",
          "Explain the difference between a mutex and a semaphore.");

  private final List<Entry> entries;
  private final int totalWeight;

  TrafficMix(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    this.totalWeight = entries.stream().mapToInt(Entry::weight).sum();
  }

  Entry pick(Random random) {
    int r = random.nextInt(totalWeight);
    for (Entry e : entries) {
      r -= e.weight();
      if (r < 0) {
        return e;
      }
    }
    return entries.get(entries.size() - 1);
  }

  static Ask ask(Random random) {
    return new Ask(PROMPTS.get(random.nextInt(PROMPTS.size())), 24 + random.nextInt(100));
  }

  List<Entry> entries() {
    return entries;
  }

  static TrafficMix standard(LlmClients c) {
    List<Entry> e = new ArrayList<>();
    e.add(
        new Entry(
            "openai gpt-4o-mini",
            20,
            p -> c.openAi.chat().completions().create(chat("gpt-4o-mini", p))));
    e.add(new Entry("openai gpt-4o stream", 12, p -> openAiStream(c, "gpt-4o", p)));
    e.add(
        new Entry(
            "openai gpt-4.1-mini async",
            6,
            p ->
                c.openAi
                    .async()
                    .chat()
                    .completions()
                    .create(chat("gpt-4.1-mini", p))
                    .get(60, TimeUnit.SECONDS)));
    e.add(
        new Entry(
            "openai o4-mini responses",
            4,
            p ->
                c.openAi
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model("o4-mini")
                            .input(p.prompt())
                            .maxOutputTokens(p.maxTokens() * 3L)
                            .build())));
    e.add(
        new Entry(
            "azure eastus2 gpt-4o",
            9,
            p -> c.azure.chat().completions().create(chat("gpt-4o-eastus2", p))));
    e.add(
        new Entry(
            "azure eastus2 gpt-4o stream", 5, p -> openAiAzureStream(c, "gpt-4o-eastus2", p)));
    e.add(
        new Entry(
            "azure swedencentral gpt-4o",
            9,
            p -> c.azure.chat().completions().create(chat("gpt-4o-swedencentral", p))));
    e.add(
        new Entry(
            "azure swedencentral gpt-4o stream",
            5,
            p -> openAiAzureStream(c, "gpt-4o-swedencentral", p)));
    e.add(
        new Entry(
            "anthropic claude-sonnet-4-5",
            10,
            p -> c.anthropic.messages().create(claude("claude-sonnet-4-5", p))));
    e.add(
        new Entry(
            "anthropic claude-haiku-4-5 stream",
            10,
            p -> anthropicStream(c, "claude-haiku-4-5", p)));
    e.add(new Entry("langchain4j gpt-4o-mini", 5, p -> c.langchainChat.chat(p.prompt())));
    e.add(new Entry("langchain4j gpt-4o stream", 5, p -> langchainStream(c, p)));
    return new TrafficMix(e);
  }

  static ChatCompletionCreateParams chat(String model, Ask ask) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You are a concise assistant for an online shop.")
        .addUserMessage(ask.prompt())
        .maxCompletionTokens(ask.maxTokens())
        .temperature(0.3)
        .build();
  }

  static MessageCreateParams claude(String model, Ask ask) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(ask.maxTokens())
        .addUserMessage(ask.prompt())
        .build();
  }

  private static void openAiStream(LlmClients c, String model, Ask prompt) {
    streamChat(c.openAi, model, prompt);
  }

  private static void openAiAzureStream(LlmClients c, String deployment, Ask prompt) {
    streamChat(c.azure, deployment, prompt);
  }

  private static void streamChat(OpenAIClient client, String model, Ask prompt) {
    ChatCompletionCreateParams params =
        chat(model, prompt).toBuilder()
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    StringBuilder text = new StringBuilder();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s =
        client.chat().completions().createStreaming(params)) {
      s.stream()
          .forEach(
              chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    }
  }

  private static void anthropicStream(LlmClients c, String model, Ask prompt) {
    try (StreamResponse<RawMessageStreamEvent> s =
        c.anthropic.messages().createStreaming(claude(model, prompt))) {
      s.stream().forEach(event -> {});
    }
  }

  private static void langchainStream(LlmClients c, Ask ask) throws Exception {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    c.langchainStreaming.chat(
        ask.prompt(),
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partial) {}

          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    done.get(60, TimeUnit.SECONDS);
  }
}
