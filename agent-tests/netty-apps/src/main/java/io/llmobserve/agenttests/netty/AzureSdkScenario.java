package io.llmobserve.agenttests.netty;

import static io.llmobserve.agenttests.netty.NettyAppsScenario.AZURE_KEY;
import static io.llmobserve.agenttests.netty.Results.CALL_HEADER;
import static io.llmobserve.agenttests.netty.Results.call;
import static io.llmobserve.agenttests.netty.Results.values;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.azure.core.http.HttpClient;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.Header;
import com.azure.core.util.IterableStream;
import java.util.List;
import java.util.Map;

/**
 * The Azure OpenAI SDK (azure-ai-openai) on its default HTTP client, azure-core-http-netty (Reactor
 * Netty), against the simulator's Azure deployments: sync and streaming.
 */
final class AzureSdkScenario {
  private AzureSdkScenario() {}

  static void run(String base) {
    call("azure.sdk.chat", () -> chat(client(base, "azure.sdk.chat"), "gpt-4o-eastus2"));
    call(
        "azure.sdk.stream", () -> stream(client(base, "azure.sdk.stream"), "gpt-4o-swedencentral"));
  }

  /**
   * The builder's own pipeline, as users get it (retry, logging, azure-core's tracing policy,
   * azure-core's default HttpClient: azure-core-http-netty found by ServiceLoader). azure-core
   * refuses key credentials over plain HTTP ("Key credentials require HTTPS") and the simulator
   * speaks HTTP, so the key goes in as the api-key header through the client options instead.
   */
  static OpenAIClient client(String base, String label) {
    ClientOptions options =
        new ClientOptions()
            .setHeaders(List.of(new Header(CALL_HEADER, label), new Header("api-key", AZURE_KEY)));
    return new OpenAIClientBuilder().endpoint(base).clientOptions(options).buildClient();
  }

  static String httpClientName() {
    return HttpClient.createDefault().getClass().getName();
  }

  static ChatCompletionsOptions options() {
    return new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("Say hello")))
        .setMaxTokens(40);
  }

  static Map<String, String> chat(OpenAIClient client, String deployment) {
    ChatCompletions c = client.getChatCompletions(deployment, options());
    ChatChoice choice = c.getChoices().get(0);
    return values(
        "id",
        c.getId(),
        "model",
        c.getModel(),
        "output",
        c.getUsage().getCompletionTokens(),
        "finish",
        choice.getFinishReason() == null ? null : choice.getFinishReason().toString(),
        "httpClient",
        httpClientName());
  }

  static Map<String, String> stream(OpenAIClient client, String deployment) {
    // beta.16 keeps stream_options private: what it sends is what users get
    IterableStream<ChatCompletions> chunks = client.getChatCompletionsStream(deployment, options());
    String id = null;
    String model = null;
    String finish = null;
    Integer output = null;
    int n = 0;
    for (ChatCompletions c : chunks) {
      n++;
      if (c.getId() != null && !c.getId().isEmpty()) {
        id = c.getId();
      }
      if (c.getModel() != null && !c.getModel().isEmpty()) {
        model = c.getModel();
      }
      for (ChatChoice choice : c.getChoices()) {
        if (choice.getFinishReason() != null) {
          finish = choice.getFinishReason().toString();
        }
      }
      if (c.getUsage() != null) {
        output = c.getUsage().getCompletionTokens();
      }
    }
    // beta.16 cannot ask for usage in a stream: output is only reported when the wire had it
    Map<String, String> v = values("id", id, "model", model, "finish", finish, "chunks", n);
    if (output != null) {
      v.put("output", String.valueOf(output));
    }
    return v;
  }
}
