package io.llmobserve.simulator.cli;

import io.llmobserve.simulator.Incident;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import io.llmobserve.simulator.engine.Route;
import io.llmobserve.simulator.protocol.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar llm-simulator.jar --port 8089 [--seed N] [--config file] ...}; stops cleanly on
 * SIGINT.
 */
@Command(
    name = "llm-simulator",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Local LLM provider simulator (OpenAI, Azure OpenAI, Anthropic, Gemini, Bedrock, Ollama) over HTTP/1.1 and h2c.")
public final class SimulatorMain implements Callable<Integer> {
  @Option(
      names = "--port",
      description = "Port to listen on (0 = any free port). Default: ${DEFAULT-VALUE}")
  int port = 8089;

  @Option(names = "--host", description = "Address to bind. Default: ${DEFAULT-VALUE}")
  String host = "127.0.0.1";

  @Option(names = "--seed", description = "Seed for deterministic ids, text, latencies and faults.")
  Long seed;

  @Option(
      names = "--config",
      description =
          "key=value config file (Profile fields, persona.*, modelVersion.*, incident.*).")
  Path config;

  @Option(names = "--fast", description = "Start from the near-zero-latency test profile.")
  boolean fast;

  @Option(names = "--latency-ms", description = "Median latency of non-streamed responses.")
  Long latencyMs;

  @Option(names = "--jitter", description = "Log-normal sigma for latency and TTFT (0 = none).")
  Double jitter;

  @Option(names = "--ttft-ms", description = "Median time to first chunk of streams.")
  Long ttftMs;

  @Option(names = "--chunk-interval-ms", description = "Pause between streamed chunks.")
  Long chunkIntervalMs;

  @Option(names = "--words-per-chunk", description = "Tokens per streamed chunk.")
  Integer wordsPerChunk;

  @Option(
      names = "--output-tokens",
      description = "Output tokens when a request sets no max tokens.")
  Integer outputTokens;

  @Option(names = "--error-rate", description = "Fraction of calls answered with --error-status.")
  Double errorRate;

  @Option(names = "--error-status", description = "Status for random errors (500, 503, 529).")
  Integer errorStatus;

  @Option(names = "--throttle-rate", description = "Fraction of calls answered 429.")
  Double throttleRate;

  // Durations are plain numbers here, in the unit their name says (DESIGN.md, "Durations").
  @Option(
      names = {"--retry-after-seconds", "--retry-after"},
      description = "retry-after header on 429, in seconds as HTTP has it.")
  Integer retryAfter;

  @Option(
      names = "--gzip",
      negatable = true,
      description = "gzip JSON responses when accepted (default on).")
  Boolean gzip;

  @Option(names = "--gzip-streams", description = "Also gzip SSE streams.")
  Boolean gzipStreams;

  @Option(
      names = "--cache-read-fraction",
      description = "Fraction of input tokens reported as cache reads.")
  Double cacheReadFraction;

  @Option(
      names = "--tokens-limit",
      description = "Rate-limit tokens per minute (headers count down).")
  Long tokensLimit;

  @Option(names = "--requests-limit", description = "Rate-limit requests per minute.")
  Long requestsLimit;

  @Option(
      names = "--enforce-rate-limits",
      description = "Answer 429 once the minute's budget is spent.")
  Boolean enforceRateLimits;

  @Option(
      names = "--tokenizer-usage",
      description = "Report true token counts (OpenAI encodings) of corpus text.")
  Boolean tokenizerUsage;

  @Option(
      names = "--max-exchanges",
      description = "Exchanges kept for /_sim/exchanges (oldest dropped).")
  Integer maxExchanges;

  @Option(
      names = "--persona",
      description =
          "Persona field, repeatable: azure/gpt-4o-eastus2.region='East US 2', openai.pop=SJC")
  List<String> personas = new ArrayList<>();

  @Option(
      names = "--model-version",
      description = "Request model to response model, repeatable: gpt-4o=gpt-4o-2024-11-20")
  Map<String, String> modelVersions = Map.of();

  @Option(names = "--incident", description = "Incident JSON to inject at start, repeatable.")
  List<String> incidents = new ArrayList<>();

  @Option(names = "--quiet", description = "Print only the listening line.")
  boolean quiet;

  @Option(
      names = "--tls-keystore",
      description =
          "Serve HTTPS (h2 and HTTP/1.1 by ALPN) with the key and certificate in this PKCS12 or JKS file.")
  Path tlsKeyStore;

  @Option(
      names = "--tls-keystore-password",
      description = "Password of --tls-keystore. Default: ${DEFAULT-VALUE}")
  String tlsKeyStorePassword = "changeit";

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorMain()).execute(args));
  }

  /** Visible for tests: the profile and incidents the parsed flags describe. */
  public ConfigFile.Loaded resolveForTest() throws Exception {
    return resolve();
  }

  /** Builds the profile and incidents from flags (config file first, flags override). */
  ConfigFile.Loaded resolve() throws Exception {
    Profile base = fast ? Profile.fast() : Profile.defaults();
    List<Incident> startIncidents = new ArrayList<>();
    if (config != null) {
      ConfigFile.Loaded loaded = ConfigFile.load(config, base);
      base = loaded.profile();
      startIncidents.addAll(loaded.incidents());
    }
    Profile.Builder b = base.toBuilder();
    if (latencyMs != null) b.latencyMs(latencyMs);
    if (jitter != null) b.latencyJitter(jitter);
    if (ttftMs != null) b.ttftMs(ttftMs);
    if (chunkIntervalMs != null) b.chunkIntervalMs(chunkIntervalMs);
    if (wordsPerChunk != null) b.wordsPerChunk(wordsPerChunk);
    if (outputTokens != null) b.defaultOutputTokens(outputTokens);
    if (errorRate != null) b.errorRate(errorRate);
    if (errorStatus != null) b.errorStatus(errorStatus);
    if (throttleRate != null) b.throttleRate(throttleRate);
    if (retryAfter != null) b.retryAfterSeconds(retryAfter);
    if (gzip != null) b.gzip(gzip);
    if (gzipStreams != null) b.gzipStreams(gzipStreams);
    if (cacheReadFraction != null) b.cacheReadFraction(cacheReadFraction);
    if (tokensLimit != null) b.tokensLimit(tokensLimit);
    if (requestsLimit != null) b.requestsLimit(requestsLimit);
    if (enforceRateLimits != null) b.enforceRateLimits(enforceRateLimits);
    if (tokenizerUsage != null) b.tokenizerUsage(tokenizerUsage);
    if (maxExchanges != null) b.maxExchanges(maxExchanges);
    for (String p : personas) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--persona expects key.field=value: " + p);
      }
      ConfigFile.setPersonaField(b, p.substring(0, eq), p.substring(eq + 1));
    }
    modelVersions.forEach(b::modelVersion);
    for (String json : incidents) {
      startIncidents.add(Json.MAPPER.readValue(json, Incident.class));
    }
    return new ConfigFile.Loaded(b.build(), startIncidents);
  }

  @Override
  public Integer call() throws Exception {
    ConfigFile.Loaded loaded = resolve();
    LlmSimulator.Builder builder =
        LlmSimulator.builder().host(host).port(port).profile(loaded.profile());
    if (seed != null) {
      builder.seed(seed);
    }
    loaded.incidents().forEach(builder::incident);
    if (tlsKeyStore != null) {
      builder.tls(tlsKeyStore, tlsKeyStorePassword);
    }
    LlmSimulator sim = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  stopped.countDown();
                },
                "llm-sim-shutdown"));
    System.out.println(
        "llm-simulator listening on "
            + sim.baseUrl()
            + (tlsKeyStore != null ? " (HTTPS: h2 and HTTP/1.1)" : " (HTTP/1.1 and h2c)")
            + ", seed "
            + sim.seed());
    if (!quiet) {
      System.out.println("  OpenAI base URL:    " + sim.openAiBaseUrl());
      System.out.println("  Azure endpoint:     " + sim.baseUrl());
      System.out.println("  Anthropic base URL: " + sim.baseUrl());
      for (Route r : Route.values()) {
        System.out.printf("  POST %-52s %s %s%n", r.template(), r.provider(), r.operation());
      }
      System.out.println(
          "  admin: GET /_sim | GET|POST|DELETE /_sim/incidents | GET /_sim/stats"
              + " | GET|DELETE /_sim/exchanges | GET|PUT /_sim/profile");
      loaded
          .profile()
          .personas()
          .forEach((k, v) -> System.out.println("  persona " + k + ": " + Json.write(v)));
    }
    System.out.flush();
    stopped.await();
    return 0;
  }
}
