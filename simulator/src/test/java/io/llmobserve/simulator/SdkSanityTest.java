package io.llmobserve.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official SDKs accept what the simulator sends (JSON, gzip via OkHttp, SSE). */
class SdkSanityTest {
  static LlmSimulator sim;

  @BeforeAll
  static void start() {
    sim = LlmSimulator.builder().seed(12).profile(Profile.fast()).start();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void openAiJavaChatAndStream() {
    OpenAIClient client =
        OpenAIOkHttpClient.builder().baseUrl(sim.openAiBaseUrl()).apiKey("sk-test").build();
    try {
      ChatCompletion c =
          client
              .chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model("gpt-4o")
                      .addUserMessage("Say hello to the observability pipeline")
                      .maxCompletionTokens(7)
                      .build());
      assertThat(c.model()).isEqualTo("gpt-4o-2024-08-06");
      assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(7);
      assertThat(c.choices().get(0).message().content().orElseThrow()).isNotBlank();
      assertThat(sim.lastExchange().orElseThrow().gzip())
          .isTrue(); // OkHttp asks for gzip transparently

      List<ChatCompletionChunk> chunks = new ArrayList<>();
      try (var stream =
          client
              .chat()
              .completions()
              .createStreaming(
                  ChatCompletionCreateParams.builder()
                      .model("gpt-4o-mini")
                      .addUserMessage("hello")
                      .maxCompletionTokens(4)
                      .streamOptions(
                          ChatCompletionStreamOptions.builder().includeUsage(true).build())
                      .build())) {
        stream.stream().forEach(chunks::add);
      }
      assertThat(chunks).isNotEmpty();
      assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens())
          .isEqualTo(4);
    } finally {
      client.close();
    }
  }

  @Test
  void anthropicJavaMessageAndStream() {
    AnthropicClient client =
        AnthropicOkHttpClient.builder().baseUrl(sim.baseUrl()).apiKey("k").build();
    try {
      Message m =
          client
              .messages()
              .create(
                  MessageCreateParams.builder()
                      .model("claude-sonnet-4-5")
                      .maxTokens(6)
                      .addUserMessage("hello")
                      .build());
      assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
      assertThat(m.usage().outputTokens()).isEqualTo(6);
      List<RawMessageStreamEvent> events = new ArrayList<>();
      try (StreamResponse<RawMessageStreamEvent> s =
          client
              .messages()
              .createStreaming(
                  MessageCreateParams.builder()
                      .model("claude-sonnet-4-5")
                      .maxTokens(3)
                      .addUserMessage("hello")
                      .build())) {
        s.stream().forEach(events::add);
      }
      assertThat(
              events.stream()
                  .filter(RawMessageStreamEvent::isMessageDelta)
                  .findFirst()
                  .orElseThrow()
                  .asMessageDelta()
                  .usage()
                  .outputTokens())
          .isEqualTo(3);
    } finally {
      client.close();
    }
  }
}
