package io.llmobserve.demo;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/**
 * The SDK clients, configured as a production app would configure them for OpenAI, Azure OpenAI
 * (one resource, deployments in two regions) and Anthropic, but pointed at the simulator. The keys
 * are fake; the agent must never export them.
 */
final class LlmClients implements AutoCloseable {
  static final String OPENAI_KEY = "sk-demo-not-a-real-key";
  static final String AZURE_KEY = "azure-demo-not-a-real-key";
  static final String ANTHROPIC_KEY = "sk-ant-demo-not-a-real-key";

  final OpenAIClient openAi;

  /**
   * Azure: the deployment is the "model" of each request (gpt-4o-eastus2, gpt-4o-swedencentral).
   */
  final OpenAIClient azure;

  final AnthropicClient anthropic;
  final OpenAiChatModel langchainChat;
  final OpenAiStreamingChatModel langchainStreaming;

  LlmClients(String base, int maxRetries) {
    Duration timeout = Duration.ofSeconds(60);
    openAi =
        OpenAIOkHttpClient.builder()
            .baseUrl(base + "/v1")
            .apiKey(OPENAI_KEY)
            .maxRetries(maxRetries)
            .timeout(timeout)
            .build();
    azure =
        OpenAIOkHttpClient.builder()
            .baseUrl(base)
            .credential(AzureApiKeyCredential.create(AZURE_KEY))
            .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
            .azureUrlPathMode(AzureUrlPathMode.LEGACY)
            .maxRetries(maxRetries)
            .timeout(timeout)
            .build();
    anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl(base)
            .apiKey(ANTHROPIC_KEY)
            .maxRetries(maxRetries)
            .timeout(timeout)
            .build();
    langchainChat =
        OpenAiChatModel.builder()
            .baseUrl(base + "/v1")
            .apiKey(OPENAI_KEY)
            .modelName("gpt-4o-mini")
            .maxRetries(maxRetries)
            .timeout(timeout)
            .build();
    langchainStreaming =
        OpenAiStreamingChatModel.builder()
            .baseUrl(base + "/v1")
            .apiKey(OPENAI_KEY)
            .modelName("gpt-4o")
            .timeout(timeout)
            .build();
  }

  @Override
  public void close() {
    openAi.close();
    azure.close();
    anthropic.close();
  }
}
