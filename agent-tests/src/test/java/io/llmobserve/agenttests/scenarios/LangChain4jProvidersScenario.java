package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * langchain4j's Anthropic, Gemini (google-ai-gemini), Ollama and Bedrock modules, each on the HTTP
 * client it uses by default: langchain4j's JDK HttpClient for the first three, the AWS SDK's
 * default sync client (Apache HttpClient 4) for Bedrock. Args: simulator base URL.
 */
public final class LangChain4jProvidersScenario {
  public static void main(String[] args) throws Exception {
    String base = args[0];

    AnthropicChatModel anthropic =
        AnthropicChatModel.builder()
            .baseUrl(base + "/v1/")
            .apiKey(AnthropicSdkScenario.API_KEY)
            .modelName("claude-3-5-haiku-20241022")
            .maxTokens(64)
            .customHeaders(Map.of(CALL_HEADER, "lc4j.anthropic.chat"))
            .build();
    call(
        "lc4j.anthropic.chat",
        () ->
            describe(
                anthropic.chat(
                    ChatRequest.builder().messages(UserMessage.from("Say hello")).build())));

    AnthropicStreamingChatModel anthropicStream =
        AnthropicStreamingChatModel.builder()
            .baseUrl(base + "/v1/")
            .apiKey(AnthropicSdkScenario.API_KEY)
            .modelName("claude-3-5-haiku-20241022")
            .maxTokens(64)
            .customHeaders(Map.of(CALL_HEADER, "lc4j.anthropic.stream"))
            .build();
    call(
        "lc4j.anthropic.stream",
        () -> {
          CompletableFuture<ChatResponse> done = new CompletableFuture<>();
          anthropicStream.chat(
              "Say hello",
              new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                  // text arrives in pieces
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
          return describe(done.get(30, TimeUnit.SECONDS));
        });

    GoogleAiGeminiChatModel gemini =
        GoogleAiGeminiChatModel.builder()
            .baseUrl(Results.providerUrl(base, GoogleGenAiScenario.HOST) + "/v1beta")
            .apiKey(GoogleGenAiScenario.API_KEY)
            .modelName(GoogleGenAiScenario.MODEL)
            .maxOutputTokens(64)
            .customHeaders(Map.of(CALL_HEADER, "lc4j.gemini.chat"))
            .build();
    call(
        "lc4j.gemini.chat",
        () ->
            describe(
                gemini.chat(
                    ChatRequest.builder().messages(UserMessage.from("Say hello")).build())));

    OllamaChatModel ollama =
        OllamaChatModel.builder()
            .baseUrl(base)
            .modelName("llama3.2")
            .customHeaders(Map.of(CALL_HEADER, "lc4j.ollama.chat"))
            .build();
    call(
        "lc4j.ollama.chat",
        () ->
            describe(
                ollama.chat(
                    ChatRequest.builder().messages(UserMessage.from("Say hello")).build())));

    BedrockRuntimeClient bedrockClient =
        BedrockRuntimeClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(Results.providerUrl(base, BedrockSdkScenario.HOST)))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        BedrockSdkScenario.ACCESS_KEY, BedrockSdkScenario.SECRET_KEY)))
            .httpClient(ApacheHttpClient.create())
            .overrideConfiguration(
                c ->
                    c.addExecutionInterceptor(new LabelHeader("lc4j.bedrock.chat"))
                        .retryStrategy(r -> r.maxAttempts(1)))
            .build();
    BedrockChatModel bedrock =
        BedrockChatModel.builder()
            .client(bedrockClient)
            .modelId(BedrockSdkScenario.MODEL)
            .maxRetries(0)
            .build();
    call(
        "lc4j.bedrock.chat",
        () ->
            describe(
                bedrock.chat(
                    ChatRequest.builder().messages(UserMessage.from("Say hello")).build())));
    bedrockClient.close();
  }

  static Map<String, String> describe(ChatResponse r) {
    return values("output", r.tokenUsage() == null ? -1 : r.tokenUsage().outputTokenCount());
  }

  /** The AWS SDK has no per-model custom headers in langchain4j: added before signing. */
  static final class LabelHeader implements ExecutionInterceptor {
    private final String label;

    LabelHeader(String label) {
      this.label = label;
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(
        Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      return context.httpRequest().toBuilder().putHeader(CALL_HEADER, label).build();
    }
  }
}
