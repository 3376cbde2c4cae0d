package io.llmobserve.agenttests.scenarios;

/**
 * The clients beyond the JDK's and OkHttp, and the SDKs riding on them, in one JVM: raw Apache
 * HttpClient 5 / 4 and HttpURLConnection, Spring's RestClient/RestTemplate, the AWS SDK's Bedrock
 * runtime client on its three sync HTTP clients, the Google GenAI SDK and langchain4j's Anthropic,
 * Gemini, Ollama and Bedrock modules. Args: simulator base URL.
 */
public final class MoreClientsScenario {
  public static void main(String[] args) throws Exception {
    RawBlockingClientsScenario.main(args);
    SpringClientsScenario.main(args);
    BedrockSdkScenario.main(args);
    GoogleGenAiScenario.main(args);
    LangChain4jProvidersScenario.main(args);
    System.out.println("DONE");
    System.exit(0); // SDK clients may leave non-daemon threads behind
  }
}
