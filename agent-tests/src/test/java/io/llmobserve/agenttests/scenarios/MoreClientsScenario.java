package io.llmobserve.agenttests.scenarios;

/**
 * The clients beyond the JDK's and OkHttp, and the SDKs riding on them, in one JVM: raw Apache
 * HttpClient 5 / 4 and HttpURLConnection. Args: simulator base URL.
 */
public final class MoreClientsScenario {
  public static void main(String[] args) throws Exception {
    RawBlockingClientsScenario.main(args);
    System.out.println("DONE");
    System.exit(0); // SDK clients may leave non-daemon threads behind
  }
}
