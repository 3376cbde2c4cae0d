package io.llmobserve.agent.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.llmobserve.agent.extension.HelperClassIndex;
import io.llmobserve.simulator.Exchange;
import io.llmobserve.simulator.Incident;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
import io.llmobserve.testsupport.ExportedSpan;
import io.llmobserve.testsupport.OtlpReceiver;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, as a user runs it: a forked JVM with {@code -javaagent:llm-otel-javaagent.jar}
 * making LLM calls (JDK HttpClient, OkHttp 4, then OkHttp 5) against the simulator running in this
 * test, exporting OTLP/HTTP to a receiver in this test. The simulator's exchanges are the ground
 * truth the spans are checked against.
 */
class AgentJarSmokeIT {
  private static final String SCOPE = "io.llmobserve.agent";
  private static final Path AGENT_JAR =
      Paths.get(System.getProperty("llm.agent.jar", "target/llm-otel-javaagent.jar"));

  @Test
  void jarEmbedsTheExtensionAndKeepsTheUpstreamManifest() throws IOException {
    try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Premain-Class"))
          .isEqualTo("io.opentelemetry.javaagent.OpenTelemetryAgent");
      assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version"))
          .isEqualTo("2.31.1");
      assertThat(jar.getEntry("extensions/llm-observe-extension.jar")).isNotNull();
    }
    Path extension =
        Paths.get(
            System.getProperty("llm.extension.jar", "target/extension/llm-observe-extension.jar"));
    List<String> indexed;
    try (JarFile jar = new JarFile(extension.toFile());
        InputStream in = jar.getInputStream(jar.getEntry(HelperClassIndex.RESOURCE))) {
      indexed =
          Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
              .filter(s -> !s.isBlank())
              .collect(Collectors.toList());
    }
    // every helper in the jar (ours and the relocated providers library) is listed, nothing else
    assertThat(indexed)
        .isEqualTo(HelperClassIndex.helpersInJar(extension))
        .contains(
            "io.llmobserve.agent.jdkhttp.TeeBodySubscriber",
            "io.llmobserve.agent.internal.providers.LlmCall")
        .noneMatch(n -> n.startsWith("io.llmobserve.providers."));
  }

  @Test
  void llmCallsBecomeOneClientSpanEachWithUsageAndMetrics() throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver();
        LlmSimulator sim = LlmSimulator.builder().seed(7).profile(Profile.fast()).start()) {
      // a 429 for one model; one stream that sends its first chunk and then stalls for an hour
      sim.injectIncident(Incident.throttlingStorm(1).model("jdk-ratelimited"));
      sim.injectIncident(Incident.latencySpike(3_600_000).model("jdk-stalled-abandoned"));
      String appCp =
          testClasspath(entry -> entry.matches(".*(okhttp-4|okio|kotlin|annotations-13).*"));
      List<String> models =
          List.of(
              "jdk-sync",
              "jdk-stream",
              "jdk-async",
              "jdk-ratelimited",
              "jdk-closed-early",
              "okhttp-sync",
              "okhttp-stream",
              "okhttp-async");
      List<String> h2Models = List.of("jdk-h2-sync", "jdk-h2-stream");
      List<String> abandoned = List.of("jdk-stalled-abandoned", "okhttp-abandoned");
      int expectedSpans = models.size() + h2Models.size() + abandoned.size() + 1; // + refused
      String log =
          runApp(
              otlp,
              appCp,
              "app-okhttp4.log",
              List.of(sim.baseUrl(), "all", sim.baseUrl()),
              // every span, and the stalled call's in-flight gauge back to 0 after its span ended
              () ->
                  ours(otlp).size() >= expectedSpans
                      && endsWithZero(
                          inFlightPoints(
                              otlp, "gen_ai.client.operation.active", "jdk-stalled-abandoned")),
              "-Dotel.instrumentation.llm.endpoints=" + sim.openAiBaseUrl() + "=sim-llm",
              "-Dotel.instrumentation.llm.abandon-timeout=3s");

      // HTTP/2 (the app checked HttpResponse.version() == HTTP_2 for both): same span contract
      assertThat(log).contains("H2 VERSIONS HTTP_2 HTTP_2");
      List<Span> h2 = byModel(otlp, h2Models);
      assertThat(h2)
          .extracting(s -> attr(s, "gen_ai.request.model").getStringValue())
          .containsExactlyInAnyOrderElementsOf(h2Models);
      for (Span span : h2) {
        String model = attr(span, "gen_ai.request.model").getStringValue();
        assertThat(span.getKind()).as(model).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.getName()).isEqualTo("chat " + model);
        assertThat(span.getStatus().getCode())
            .as(model)
            .isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
        assertThat(attr(span, "gen_ai.provider.name").getStringValue()).isEqualTo("sim-llm");
        assertThat(attr(span, "server.port").getIntValue()).isEqualTo(sim.port());
        assertThat(attr(span, "http.response.status_code").getIntValue()).isEqualTo(200);
        assertThat(attr(span, "gen_ai.response.model").getStringValue()).isEqualTo(model);
        assertThat(attr(span, "gen_ai.usage.input_tokens").getIntValue()).as(model).isPositive();
        assertThat(attr(span, "gen_ai.usage.output_tokens").getIntValue()).as(model).isPositive();
        assertThat(attr(span, "llm.request.id").getStringValue()).startsWith("req_");
        assertNoSecret(span);
        // the JDK client: ours is the call's only client span (upstream's is suppressed under it)
        assertThat(httpChildOf(otlp, span)).as("no upstream HTTP span under " + model).isNull();
        assertThat(attr(span, "http.request.method").getStringValue()).isEqualTo("POST");
        assertThat(attr(span, "network.protocol.version").getStringValue()).isEqualTo("2");
      }
      assertThat(
              attr(
                      byModel(otlp, List.of("jdk-h2-stream")).get(0),
                      "gen_ai.response.time_to_first_chunk")
                  .getDoubleValue())
          .isPositive();

      // bodies the app never read: OkHttp's dropped body is found by GC, the JDK's (its client
      // keeps
      // the body reachable while the stream is open) by the idle deadline; each ends its span once
      assertThat(byModel(otlp, abandoned))
          .extracting(s -> attr(s, "gen_ai.request.model").getStringValue())
          .containsExactlyInAnyOrderElementsOf(abandoned);
      for (Span span : byModel(otlp, abandoned)) {
        String model = attr(span, "gen_ai.request.model").getStringValue();
        assertThat(span.getStatus().getCode())
            .as(model)
            .isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(attr(span, "error.type").getStringValue())
            .as(model)
            .isEqualTo(model.startsWith("okhttp") ? "abandoned" : "idle_timeout");
        assertThat(attr(span, "http.response.status_code").getIntValue()).isEqualTo(200);
      }

      // the refused connection: the request body was never sent, so no model is known; the
      // error still ends the span, and the app got the ConnectException unchanged
      List<Span> refused =
          ours(otlp).stream()
              .filter(
                  s ->
                      s.getAttributesList().stream()
                          .noneMatch(kv -> kv.getKey().equals("gen_ai.request.model")))
              .collect(Collectors.toList());
      assertThat(refused).hasSize(1);
      assertThat(refused.get(0).getName()).isEqualTo("chat");
      assertThat(refused.get(0).getStatus().getCode())
          .isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(attr(refused.get(0), "error.type").getStringValue())
          .isEqualTo("java.net.ConnectException");

      List<Span> ours = ours(otlp);
      ours.removeAll(refused);
      ours.removeAll(byModel(otlp, h2Models));
      ours.removeAll(byModel(otlp, abandoned));
      assertThat(ours)
          .extracting(s -> attr(s, "gen_ai.request.model").getStringValue())
          .containsExactlyInAnyOrderElementsOf(models); // exactly one per call, none for /health
      for (Span span : ours) {
        String model = attr(span, "gen_ai.request.model").getStringValue();
        assertThat(span.getKind()).as(model).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.getName()).isEqualTo("chat " + model);
        assertThat(attr(span, "server.address").getStringValue()).isEqualTo("127.0.0.1");
        assertNoSecret(span);
        assertThat(attr(span, "gen_ai.provider.name").getStringValue()).isEqualTo("sim-llm");
        assertThat(attr(span, "server.port").getIntValue()).isEqualTo(sim.port());
        // the JDK client and OkHttp: ours is the call's only client span, with upstream's HTTP
        // attributes and captured headers (upstream's own config still works)
        assertThat(httpChildOf(otlp, span)).as("no upstream HTTP span under " + model).isNull();
        assertThat(attr(span, "http.request.method").getStringValue()).isEqualTo("POST");
        // the app's default JDK client (HTTP_2) may have upgraded its cleartext connection
        assertThat(attr(span, "network.protocol.version").getStringValue()).isIn("1.1", "2");
        assertThat(span.getAttributesList())
            .extracting(KeyValue::getKey)
            .contains("http.response.header.x-request-id");
        if (model.endsWith("ratelimited")) {
          assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
          assertThat(attr(span, "error.type").getStringValue()).isEqualTo("429");
          continue;
        }
        assertThat(span.getStatus().getCode())
            .as(model)
            .isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
        assertThat(attr(span, "gen_ai.response.model").getStringValue()).isEqualTo(model);
        if (model.equals("jdk-closed-early")) { // ended by the cancel, before the usage chunk
          continue;
        }
        Exchange served = servedOk(sim, model);
        assertThat(attr(span, "gen_ai.usage.input_tokens").getIntValue())
            .isEqualTo(served.inputTokens());
        assertThat(attr(span, "gen_ai.usage.output_tokens").getIntValue())
            .isEqualTo(served.outputTokens());
        assertThat(attr(span, "llm.request.id").getStringValue()).isEqualTo(served.requestId());
        if (model.contains("stream") || model.contains("async")) {
          assertThat(attr(span, "gen_ai.response.time_to_first_chunk").getDoubleValue())
              .as(model)
              .isPositive();
        }
      }

      // cumulative exports: the last one (at the app's exit at the latest) has every call
      List<String> expectedPoints =
          List.of(
              "jdk-sync/input=" + servedOk(sim, "jdk-sync").inputTokens(),
              "jdk-sync/output=" + servedOk(sim, "jdk-sync").outputTokens(),
              "okhttp-stream/output=" + servedOk(sim, "okhttp-stream").outputTokens());
      assertThat(tokenPoints(otlp)).containsAll(expectedPoints);
      assertThat(otlp.metrics())
          .extracting(Metric::getName)
          .contains(
              "gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk");

      // the stalled call was visible while it hung (gen_ai.client.operation.active / oldest_age,
      // 1 s export interval, 3 s idle deadline), then reported 0 once its span ended
      assertThat(inFlightPoints(otlp, "gen_ai.client.operation.active", "jdk-stalled-abandoned"))
          .as("in-flight counts of the stalled call")
          .contains(1.0)
          .endsWith(0.0);
      assertThat(
              inFlightPoints(otlp, "gen_ai.client.operation.oldest_age", "jdk-stalled-abandoned"))
          .as("oldest age of the stalled call")
          .anySatisfy(age -> assertThat(age).isGreaterThanOrEqualTo(0.9));
    }
  }

  @Test
  void okHttp5CallsAreObservedToo() throws Exception {
    String okhttp5Dir = System.getProperty("llm.okhttp5.dir", "target/okhttp5");
    File[] jars = new File(okhttp5Dir).listFiles((d, n) -> n.endsWith(".jar"));
    assertThat(jars)
        .as("OkHttp 5 jars in " + okhttp5Dir)
        .isNotNull()
        .hasSizeGreaterThanOrEqualTo(3);
    String appCp =
        testClasspath(entry -> false)
            + File.pathSeparator
            + Arrays.stream(jars)
                .map(File::getPath)
                .collect(Collectors.joining(File.pathSeparator));
    try (OtlpReceiver otlp = new OtlpReceiver();
        LlmSimulator sim = LlmSimulator.builder().seed(5).profile(Profile.fast()).start()) {
      String log =
          runApp(
              otlp,
              appCp,
              "app-okhttp5.log",
              List.of(sim.baseUrl(), "okhttp5"),
              () -> ours(otlp).size() >= 4,
              "-Dotel.instrumentation.llm.endpoints=" + sim.openAiBaseUrl() + "=sim-llm",
              "-Dotel.javaagent.debug=true");
      // the embedded extension is loaded, and upstream's openai-java instrumentation is off by
      // default
      assertThat(log)
          .contains(
              "Loading instrumentation llm-okhttp",
              "Loading instrumentation llm-java-http-client",
              "Instrumentation openai-java is disabled");
      assertThat(ours(otlp))
          .extracting(s -> attr(s, "gen_ai.request.model").getStringValue())
          .containsExactlyInAnyOrder(
              "okhttp5-sync", "okhttp5-stream", "okhttp5-async", "okhttp5-abandoned");
      // dropped unread, found by GC (the default 10 min idle deadline cannot be what ended it)
      Span abandoned = byModel(otlp, List.of("okhttp5-abandoned")).get(0);
      assertThat(attr(abandoned, "error.type").getStringValue()).isEqualTo("abandoned");
      assertThat(ours(otlp))
          .filteredOn(s -> s != abandoned)
          .allSatisfy(
              s -> {
                String model = attr(s, "gen_ai.request.model").getStringValue();
                assertThat(attr(s, "gen_ai.usage.output_tokens").getIntValue())
                    .isEqualTo(servedOk(sim, model).outputTokens());
                assertThat(httpChildOf(otlp, s))
                    .as("no upstream HTTP span under " + model)
                    .isNull();
                assertThat(attr(s, "http.request.method").getStringValue()).isEqualTo("POST");
              });
    }
  }

  /**
   * Runs the app under the agent until {@code done} holds over what was exported (or the app exits
   * on its own, which is a failure), then closes its stdin so it exits, and returns its log.
   */
  private static String runApp(
      OtlpReceiver otlp,
      String cp,
      String logName,
      List<String> appArgs,
      BooleanSupplier done,
      String... extraJvmArgs)
      throws Exception {
    Path log = Paths.get("target", logName);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + AGENT_JAR.toAbsolutePath()));
    cmd.addAll(Arrays.asList(extraJvmArgs));
    cmd.addAll(
        List.of(
            "-Dotel.service.name=llm-smoke",
            "-Dotel.exporter.otlp.protocol=http/protobuf",
            "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(),
            "-Dotel.bsp.schedule.delay=100",
            "-Dotel.metric.export.interval=1000",
            "-Dotel.logs.exporter=none",
            "-Dotel.instrumentation.http.client.capture-response-headers=x-request-id",
            "-cp",
            cp,
            LlmTrafficApp.class.getName()));
    cmd.addAll(appArgs);
    Process process =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited;
    try {
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> !process.isAlive() || done.getAsBoolean());
      } catch (ConditionTimeoutException e) {
        // the assertions below and the caller's say what is missing
      }
      process.getOutputStream().close(); // the app's signal to exit
      exited = process.waitFor(60, TimeUnit.SECONDS);
    } finally {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(exited).as("app finished; log:\n" + output).isTrue();
    assertThat(process.exitValue()).as("app exit code; log:\n" + output).isZero();
    assertThat(output).contains("APP DONE");
    return output;
  }

  /** The simulator's record of the one successful call for {@code model}. */
  private static Exchange servedOk(LlmSimulator sim, String model) {
    List<Exchange> served =
        sim.exchanges().stream()
            .filter(e -> model.equals(e.requestModel()) && e.status() == 200)
            .collect(Collectors.toList());
    assertThat(served).as("exchanges served for " + model).hasSize(1);
    return served.get(0);
  }

  private static boolean endsWithZero(List<Double> values) {
    return !values.isEmpty() && values.get(values.size() - 1) == 0.0;
  }

  /**
   * Test classes plus the entries accepted; never the upstream agent or OTel jars (the agent brings
   * its own).
   */
  private static String testClasspath(Predicate<String> keep) {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.endsWith("test-classes") || keep.test(new File(e).getName()))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static List<Span> ours(OtlpReceiver otlp) {
    return otlp.spans().stream()
        .filter(s -> s.scope().getName().equals(SCOPE))
        .map(ExportedSpan::span)
        .collect(Collectors.toList());
  }

  private static List<Span> byModel(OtlpReceiver otlp, List<String> models) {
    return ours(otlp).stream()
        .filter(
            s ->
                s.getAttributesList().stream()
                    .anyMatch(
                        kv ->
                            kv.getKey().equals("gen_ai.request.model")
                                && models.contains(kv.getValue().getStringValue())))
        .collect(Collectors.toList());
  }

  private static Span httpChildOf(OtlpReceiver otlp, Span parent) {
    return otlp.spans().stream()
        .filter(
            s ->
                !s.scope().getName().equals(SCOPE)
                    && s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .map(ExportedSpan::span)
        .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
        .findFirst()
        .orElse(null);
  }

  private static void assertNoSecret(Span span) {
    for (KeyValue kv : span.getAttributesList()) {
      assertThat(kv.getValue().toString()).as(kv.getKey()).doesNotContain("sk-secret-test");
    }
  }

  private static AnyValue attr(Span span, String key) {
    return span.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + key + " on " + span.getName()));
  }

  private static List<String> tokenPoints(OtlpReceiver otlp) {
    List<String> points = new ArrayList<>();
    if (hasMetric(otlp, "gen_ai.client.token.usage")) {
      for (HistogramDataPoint p :
          lastMetric(otlp, "gen_ai.client.token.usage").getHistogram().getDataPointsList()) {
        points.add(
            pointAttr(p, "gen_ai.request.model")
                + "/"
                + pointAttr(p, "gen_ai.token.type")
                + "="
                + (long) p.getSum());
      }
    }
    return points;
  }

  private static String pointAttr(HistogramDataPoint p, String key) {
    return p.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse("?");
  }

  /** Values of an in-flight metric's points for one request model, in export order. */
  private static List<Double> inFlightPoints(OtlpReceiver otlp, String name, String model) {
    List<Double> values = new ArrayList<>();
    for (Metric m : otlp.metrics()) {
      if (!m.getName().equals(name)) {
        continue;
      }
      List<NumberDataPoint> points =
          m.hasSum() ? m.getSum().getDataPointsList() : m.getGauge().getDataPointsList();
      for (var p : points) {
        boolean ofModel =
            p.getAttributesList().stream()
                .anyMatch(
                    kv ->
                        kv.getKey().equals("gen_ai.request.model")
                            && kv.getValue().getStringValue().equals(model));
        if (ofModel) {
          values.add(p.hasAsInt() ? (double) p.getAsInt() : p.getAsDouble());
        }
      }
    }
    return values;
  }

  private static boolean hasMetric(OtlpReceiver otlp, String name) {
    return otlp.metrics().stream().anyMatch(m -> m.getName().equals(name));
  }

  private static Metric lastMetric(OtlpReceiver otlp, String name) {
    return otlp.metrics().stream()
        .filter(m -> m.getName().equals(name))
        .reduce((a, b) -> b)
        .orElseThrow();
  }
}
