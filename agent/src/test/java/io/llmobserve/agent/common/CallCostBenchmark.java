package io.llmobserve.agent.common;

import com.sun.management.ThreadMXBean;
import io.llmobserve.agent.jdkhttp.JdkHttpLlmSupport;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientMetrics;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the agent's own work costs per LLM call, CPU and allocation, in a settled JIT (one thread,
 * no client, no network, no other JVM): ours ({@link LlmExchange} as the HTTP client span, fed a
 * real simulator response (its headers as the JDK client holds them), ended, its span turned into
 * SpanData as an exporter would, its metrics recorded) against what it replaces, upstream's HTTP
 * client span (an instrumentation-api {@link Instrumenter} with HTTP client attributes and {@link
 * HttpClientMetrics}, as upstream's JDK client instrumentation builds it). The difference is what
 * observing the LLM call adds; divided by a call's CPU under the upstream agent (the overhead
 * harness's upstream column) it is the CPU share that the harness cannot resolve while the JIT is
 * still compiling (agent-tests/README.md). The "16 kept" rows run the same calls on an SDK whose
 * spans keep at most 16 attributes: the SDK's attribute map then never grows past its first 16
 * slots, so their difference to the rows above is what that growth costs, and their difference to
 * upstream's span is the agent's own work.
 *
 * <p>Not a test: {@code java -cp <agent test classpath>
 * io.llmobserve.agent.common.CallCostBenchmark [calls per repetition (50000)] [repetitions (15)]}.
 */
public final class CallCostBenchmark {
  static volatile Object sink;
  static volatile int lastKept;
  static volatile int lastSet;

  private CallCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    String[] requests = {
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],"
          + "\"max_completion_tokens\":32}",
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],"
          + "\"max_completion_tokens\":32,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"
    };
    byte[][] bodies = new byte[2][];
    List<HttpHeaders> headers = new ArrayList<>();
    String base;
    Profile profile = Profile.fast().toBuilder().latencyMs(1).ttftMs(1).chunkIntervalMs(0).build();
    try (LlmSimulator sim = LlmSimulator.builder().port(0).seed(42).profile(profile).start()) {
      base = sim.baseUrl();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 2; i++) {
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(requests[i]))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        bodies[i] = r.body();
        headers.add(r.headers()); // the JDK client's own headers: its lookups are part of the cost
      }
    }
    SpanProcessor toSpanData =
        new SpanProcessor() {
          @Override
          public void onStart(Context parent, ReadWriteSpan span) {}

          @Override
          public boolean isStartRequired() {
            return false;
          }

          @Override
          public void onEnd(ReadableSpan span) {
            io.opentelemetry.sdk.trace.data.SpanData data = span.toSpanData();
            sink = data.getAttributes(); // what the batch exporter does first
            lastKept = data.getAttributes().size();
            lastSet = data.getTotalAttributeCount();
          }

          @Override
          public boolean isEndRequired() {
            return true;
          }
        };
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(toSpanData).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    LlmTelemetry telemetry = LlmTelemetry.create(base + "/v1=openai", false, sdk);
    // The same agent on an SDK whose spans keep at most 16 attributes: the SDK's attribute map then
    // never grows past its first 16 slots (the rest are dropped), which isolates what that growth
    // costs from the agent's own work.
    InMemoryMetricReader reader16 = InMemoryMetricReader.create();
    OpenTelemetrySdk sdk16 =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setSpanLimits(SpanLimits.builder().setMaxNumberOfAttributes(16).build())
                    .addSpanProcessor(toSpanData)
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader16).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    LlmTelemetry telemetry16 = LlmTelemetry.create(base + "/v1=openai", false, sdk16);
    URI uri = URI.create(base + "/v1/chat/completions");
    String url = uri.toString();
    Instrumenter<String, Integer> upstream =
        Instrumenter.<String, Integer>builder(sdk, "upstream-http-client", u -> "POST")
            .addAttributesExtractor(HttpClientAttributesExtractor.create(new Getter(uri)))
            .addOperationMetrics(HttpClientMetrics.get())
            .buildInstrumenter(SpanKindExtractor.alwaysClient());
    byte[][] requestBytes = {
      requests[0].getBytes(StandardCharsets.UTF_8), requests[1].getBytes(StandardCharsets.UTF_8)
    };
    HeaderReader requestHeaders = n -> n.equals("content-type") ? "application/json" : null;
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Row[] rows = {
      new Row("ours chat", CHAT, false),
      new Row("ours stream", STREAM, false),
      new Row("upstream HTTP span", UPSTREAM, false),
      new Row("ours chat, 16 kept", CHAT, true),
      new Row("ours stream, 16 kept", STREAM, true)
    };
    int kinds = rows.length;
    double[][] cpu = new double[kinds][reps];
    double[][] alloc = new double[kinds][reps];
    int[][] attributes = new int[kinds][2];
    for (int rep = -5; rep < reps; rep++) { // 5 repetitions of warm-up
      for (int kind = 0; kind < kinds; kind++) {
        int call = rows[kind].call;
        LlmTelemetry agent = rows[kind].sixteenKept ? telemetry16 : telemetry;
        long cpu0 = mx.getCurrentThreadCpuTime();
        long alloc0 = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int n = 0; n < calls; n++) {
          if (call == UPSTREAM) {
            Context context = upstream.start(Context.current(), url);
            try (Scope ignored = context.makeCurrent()) {
              sink = context;
            }
            upstream.end(context, url, 200, null);
          } else {
            HttpHeaders h = headers.get(call);
            ServerUrl server =
                new ServerUrl(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), uri);
            LlmExchange exchange =
                LlmExchange.startAsHttpClientSpan(agent, server, "POST", requestHeaders);
            try (Scope ignored = exchange.makeCurrent()) {
              exchange.claimRequestTee();
              exchange.requestBody(requestBytes[call], 0, requestBytes[call].length);
            }
            exchange.responseHeaders(200, JdkHttpLlmSupport.headerReader(h));
            exchange.networkProtocolVersion("1.1");
            byte[] b = bodies[call];
            int chunk = call == CHAT ? b.length : 512; // a stream arrives in pieces
            for (int off = 0; off < b.length; off += chunk) {
              exchange.responseBody(b, off, Math.min(chunk, b.length - off));
            }
            exchange.end();
          }
        }
        long cpu1 = mx.getCurrentThreadCpuTime();
        long alloc1 = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        // the metric reader's work is per interval, not per call
        sink = (rows[kind].sixteenKept ? reader16 : reader).collectAllMetrics();
        attributes[kind][0] = lastKept;
        attributes[kind][1] = lastSet;
        if (rep >= 0) {
          cpu[kind][rep] = (cpu1 - cpu0) / (double) calls;
          alloc[kind][rep] = (alloc1 - alloc0) / (double) calls;
        }
      }
    }
    System.out.printf(
        "per call, median [min..max] over %d repetitions of %d calls (after 5 of warm-up)%n",
        reps, calls);
    for (int kind = 0; kind < kinds; kind++) {
      System.out.printf(
          "%-22s CPU %s ns   allocation %s B   span attributes kept/set %d/%d%n",
          rows[kind].label,
          stats(cpu[kind]),
          stats(alloc[kind]),
          attributes[kind][0],
          attributes[kind][1]);
    }
    System.exit(0);
  }

  /** The calls a row makes: CHAT and STREAM also index the request, header and body arrays. */
  private static final int CHAT = 0;

  private static final int STREAM = 1;
  private static final int UPSTREAM = 2;

  /** One line of the table: its label, the call it makes, and whether spans keep only 16. */
  private record Row(String label, int call, boolean sixteenKept) {}

  private static String stats(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format("%7.0f [%.0f..%.0f]", s[s.length / 2], s[0], s[s.length - 1]);
  }

  private static final class Getter implements HttpClientAttributesGetter<String, Integer> {
    private final URI uri;

    Getter(URI uri) {
      this.uri = uri;
    }

    @Override
    public String getUrlFull(String request) {
      return request;
    }

    @Override
    public String getServerAddress(String request) {
      return uri.getHost();
    }

    @Override
    public Integer getServerPort(String request) {
      return uri.getPort();
    }

    @Override
    public String getHttpRequestMethod(String request) {
      return "POST";
    }

    @Override
    public String getNetworkProtocolVersion(String request, Integer status) {
      return "1.1";
    }

    @Override
    public List<String> getHttpRequestHeader(String request, String name) {
      return List.of();
    }

    @Override
    public Integer getHttpResponseStatusCode(String request, Integer status, Throwable error) {
      return status;
    }

    @Override
    public List<String> getHttpResponseHeader(String request, Integer status, String name) {
      return List.of();
    }
  }
}
