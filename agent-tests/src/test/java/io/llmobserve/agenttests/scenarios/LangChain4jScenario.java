package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * langchain4j-open-ai 1.x (JDK HttpClient underneath) against the simulator's OpenAI route:
 * blocking chat and streaming chat. Args: simulator base URL.
 */
public final class LangChain4jScenario {
  public static void main(String[] args) {
    OpenAiChatModel chat =
        OpenAiChatModel.builder()
            .baseUrl(args[0] + "/v1")
            .apiKey(OpenAiSdkScenario.API_KEY)
            .modelName("gpt-4o-mini")
            .maxRetries(0)
            .customHeaders(Map.of(CALL_HEADER, "langchain4j.chat"))
            .build();
    call(
        "langchain4j.chat",
        () -> {
          ChatResponse r = chat.chat(UserMessage.from("Say hello"));
          return values(
              "id",
              r.metadata().id(),
              "model",
              r.metadata().modelName(),
              "output",
              r.tokenUsage().outputTokenCount(),
              "textLength",
              r.aiMessage().text().length());
        });

    OpenAiStreamingChatModel streaming =
        OpenAiStreamingChatModel.builder()
            .baseUrl(args[0] + "/v1")
            .apiKey(OpenAiSdkScenario.API_KEY)
            .modelName("gpt-4o")
            .customHeaders(Map.of(CALL_HEADER, "langchain4j.stream"))
            .build();
    call(
        "langchain4j.stream",
        () -> {
          CompletableFuture<ChatResponse> done = new CompletableFuture<>();
          StringBuilder text = new StringBuilder();
          streaming.chat(
              "Say hello",
              new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                  text.append(partial);
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                  done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                  done.completeExceptionally(error);
                }
              });
          ChatResponse r = done.get(30, TimeUnit.SECONDS);
          return values(
              "id",
              r.metadata().id(),
              "model",
              r.metadata().modelName(),
              "output",
              r.tokenUsage() == null ? -1 : r.tokenUsage().outputTokenCount(),
              "textLength",
              text.length());
        });
  }
}
