package io.llmobserve.agenttests.scenarios;

/**
 * Every OkHttp-4-classpath scenario in one JVM: starting a JVM with the agent costs seconds, so the
 * tests pay it once. Args: simulator base URL.
 */
public final class AllSdksScenario {
  public static void main(String[] args) throws Exception {
    OpenAiSdkScenario.main(args);
    AnthropicSdkScenario.main(args);
    LangChain4jScenario.main(args);
    JdkHttpClientScenario.main(args);
    System.out.println("DONE");
    System.exit(0); // SDK clients may leave non-daemon threads behind
  }
}
