package io.llmobserve.agenttests.harness;

import io.llmobserve.agenttests.scenarios.JdkHttpClientScenario;
import io.llmobserve.agenttests.scenarios.Results;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.simulator.Incident;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import io.llmobserve.testsupport.SelfSignedKeyStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The simulator as the tests use it: fast but paced (streams take long enough that a span ending at
 * the response headers would be visibly too short), with two incidents that make the error and
 * throttling scenarios deterministic.
 */
public final class SimulatorFixture implements AutoCloseable {
  private final LlmSimulator sim;

  private SimulatorFixture(LlmSimulator sim) {
    this.sim = sim;
  }

  public static SimulatorFixture start() throws Exception {
    return start(false);
  }

  /**
   * With {@code tokenizerUsage}: true token counts of realistic corpus text (token estimate tests).
   */
  public static SimulatorFixture start(boolean tokenizerUsage) throws Exception {
    return start(tokenizerUsage, null);
  }

  /**
   * Serving HTTPS with the key and certificate in {@code tlsKeyStore} ({@link
   * io.llmobserve.testsupport.SelfSignedKeyStore}), as hosted providers are called; cleartext when
   * null.
   */
  public static SimulatorFixture start(boolean tokenizerUsage, Path tlsKeyStore) throws Exception {
    Profile profile =
        Profile.fast().toBuilder()
            .latencyMs(30)
            .ttftMs(60)
            .chunkIntervalMs(15)
            .defaultOutputTokens(24)
            .tokenizerUsage(tokenizerUsage)
            .wordsPerChunk(
                tokenizerUsage ? 3 : 1) // corpus replies are longer: fewer, bigger chunks
            .build();
    LlmSimulator.Builder builder = LlmSimulator.builder().port(0).seed(42).profile(profile);
    if (tlsKeyStore != null) {
      builder.tls(tlsKeyStore, SelfSignedKeyStore.PASSWORD);
    }
    LlmSimulator sim = builder.start();
    sim.injectIncident(Incident.errorBurst(1.0, 500).model(JdkHttpClientScenario.MODEL_500));
    sim.injectIncident(Incident.throttlingStorm(1.0).model(JdkHttpClientScenario.MODEL_429));
    return new SimulatorFixture(sim);
  }

  public String baseUrl() {
    return sim.baseUrl();
  }

  public int port() {
    return URI.create(sim.baseUrl()).getPort();
  }

  public List<Exchange> exchanges() {
    return sim.exchanges();
  }

  /** The exchanges of the call a scenario labelled (request header {@link Results#CALL_HEADER}). */
  public List<Exchange> exchangesLabelled(String label) {
    return exchanges().stream().filter(e -> label.equals(label(e))).toList();
  }

  public static String label(Exchange e) {
    return e.requestHeaders() == null ? null : e.requestHeaders().get(Results.CALL_HEADER);
  }

  @Override
  public void close() {
    sim.close();
  }
}
