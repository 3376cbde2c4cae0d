package io.llmobserve.simulator;

import io.llmobserve.simulator.engine.SimulatorState;
import io.llmobserve.simulator.http.LlmHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A local LLM provider simulator: OpenAI, Azure OpenAI, Anthropic, Gemini, Bedrock and Ollama wire
 * formats on one port, over HTTP/1.1 and HTTP/2 cleartext (h2c upgrade and prior knowledge), or
 * over TLS with HTTP/2 and HTTP/1.1 by ALPN ({@link Builder#tls}: what hosted providers serve).
 *
 * <pre>{@code
 * try (LlmSimulator sim = LlmSimulator.builder().port(0).seed(42).profile(Profile.fast()).start()) {
 *   String base = sim.baseUrl();               // http://127.0.0.1:PORT
 *   sim.injectIncident(Incident.latencySpike(1500).provider("azure").region("East US 2").durationSeconds(60));
 *   ... calls ...
 *   List<Exchange> served = sim.exchanges();
 * }
 * }</pre>
 */
public final class LlmSimulator implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final ScheduledThreadPoolExecutor scheduler;
  private final SimulatorState state;
  private final String host;
  private final boolean tls;

  private LlmSimulator(Builder b) throws Exception {
    this.host = b.host;
    this.tls = b.keyStore != null;
    long seed = b.seed != null ? b.seed : System.nanoTime();
    Clock clock = b.clock;
    this.state =
        clock == null
            ? new SimulatorState(seed, b.profile)
            : new SimulatorState(seed, b.profile, clock::millis);
    AtomicInteger n = new AtomicInteger();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            Math.max(1, b.schedulerThreads),
            r -> {
              Thread t = new Thread(r, "llm-sim-pacer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);

    QueuedThreadPool pool = new QueuedThreadPool(b.maxThreads, 4);
    pool.setName("llm-sim");
    pool.setDaemon(true);
    this.server = new Server(pool);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false); // each provider sends its own "server" header
    config.setSendXPoweredBy(false);
    config.setSendDateHeader(true);
    if (tls) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(b.keyStore.toAbsolutePath().toString());
      ssl.setKeyStorePassword(b.keyStorePassword);
      // a client calling https://127.0.0.1 sends no SNI (an IP is not a host name): accept it
      config.addCustomizer(new SecureRequestCustomizer(false));
      HttpConnectionFactory http1 = new HttpConnectionFactory(config);
      HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
      h2.setMaxConcurrentStreams(1024);
      // ALPN offers h2 and http/1.1 (a client without ALPN gets http/1.1), as providers do
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
      alpn.setDefaultProtocol(http1.getProtocol());
      this.connector =
          new ServerConnector(
              server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http1);
    } else {
      HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
      h2c.setMaxConcurrentStreams(1024);
      this.connector = new ServerConnector(server, new HttpConnectionFactory(config), h2c);
    }
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setIdleTimeout(b.idleTimeoutMs);
    server.addConnector(connector);
    server.setHandler(new LlmHandler(state, scheduler));
    server.setStopTimeout(1000);
    try {
      server.start();
    } catch (Exception e) {
      scheduler.shutdownNow();
      throw e;
    }
    for (Incident i : b.incidents) {
      state.incidents.add(i);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bound port (the real one when built with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * {@code http://127.0.0.1:PORT} ({@code https://} with TLS): Azure endpoint and Anthropic base
   * URL as is.
   */
  public String baseUrl() {
    String h = host.equals("0.0.0.0") || host.isEmpty() ? "127.0.0.1" : host;
    return (tls ? "https://" : "http://") + h + ":" + port();
  }

  /** {@code baseUrl() + "/v1"}: the OpenAI SDKs' base URL. */
  public String openAiBaseUrl() {
    return baseUrl() + "/v1";
  }

  public long seed() {
    return state.seed;
  }

  /** Injects an incident now (or after its start delay); returns it with its id. */
  public Incident injectIncident(Incident incident) {
    return state.incidents.add(incident);
  }

  public Incident injectIncident(Incident.Builder incident) {
    return injectIncident(incident.build());
  }

  public boolean removeIncident(String id) {
    return state.incidents.remove(id);
  }

  public void clearIncidents() {
    state.incidents.clear();
  }

  /** Incidents currently active (scheduled ones excluded). */
  public List<Incident> activeIncidents() {
    return state.incidents.active();
  }

  /** Every exchange served so far (up to the profile's maxExchanges, oldest first). */
  public List<Exchange> exchanges() {
    return state.exchanges.all();
  }

  public Optional<Exchange> lastExchange() {
    List<Exchange> all = state.exchanges.recent(1, 0);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  public void clearExchanges() {
    state.exchanges.clear();
    state.stats.reset();
  }

  public Profile profile() {
    return state.profile.get();
  }

  /** Replaces the profile; applies to requests received from now on. */
  public void updateProfile(Profile profile) {
    state.profile.set(profile);
  }

  /** Edits the profile, e.g. {@code sim.updateProfile(p -> p.throttleRate(0.5))}. */
  public void updateProfile(UnaryOperator<Profile.Builder> edit) {
    state.profile.updateAndGet(p -> edit.apply(p.toBuilder()).build());
  }

  /** Running totals, as served by GET /_sim/stats. */
  public Map<String, Object> stats() {
    return state.stats.snapshot();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // closing: nothing left to do with a failure
    } finally {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Builder; {@link #start()} binds the port and returns a running simulator. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Long seed;
    private Profile profile = Profile.defaults();
    private final List<Incident> incidents = new ArrayList<>();
    private int maxThreads = 200;
    private int schedulerThreads = 2;
    private long idleTimeoutMs = 120_000;
    private Clock clock;
    private Path keyStore;
    private String keyStorePassword;

    private Builder() {}

    /**
     * Serves HTTPS (h2 and HTTP/1.1 by ALPN) with the key and certificate in {@code keyStore}
     * (PKCS12 or JKS) instead of cleartext HTTP/1.1 and h2c. Clients must trust the certificate,
     * e.g. {@code -Djavax.net.ssl.trustStore} naming the same file.
     */
    public Builder tls(Path keyStore, String password) {
      this.keyStore = keyStore;
      this.keyStorePassword = password;
      return this;
    }

    /**
     * The clock incident windows (start delay, duration) and rate-limit windows are read from;
     * default: the JVM's monotonic clock. Tests inject a settable one to move past a window without
     * sleeping. Response pacing (latency, TTFT, chunk gaps) is always real time.
     */
    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    /** Listen address, default 127.0.0.1 (use 0.0.0.0 inside containers). */
    public Builder host(String v) {
      host = v;
      return this;
    }

    /** Port, 0 = any free port (the default). */
    public Builder port(int v) {
      port = v;
      return this;
    }

    /** Seed for ids, text, latency draws and fault decisions; unseeded runs differ each time. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder profile(Profile v) {
      profile = v;
      return this;
    }

    public Builder profile(Profile.Builder v) {
      profile = v.build();
      return this;
    }

    /** Incidents active from start (or scheduled with their start delay). */
    public Builder incident(Incident v) {
      incidents.add(v);
      return this;
    }

    public Builder maxThreads(int v) {
      maxThreads = v;
      return this;
    }

    public Builder schedulerThreads(int v) {
      schedulerThreads = v;
      return this;
    }

    public Builder idleTimeoutMs(long v) {
      idleTimeoutMs = v;
      return this;
    }

    public LlmSimulator start() {
      try {
        return new LlmSimulator(this);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("simulator failed to start: " + e.getMessage(), e);
      }
    }
  }
}
