package io.llmobserve.agent.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agent.extension.HelperClassIndex;
import io.llmobserve.simulator.LlmSimulator;
import io.llmobserve.simulator.Profile;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, as a user runs it: a forked JVM with {@code -javaagent:llm-otel-javaagent.jar}
 * making LLM calls (JDK HttpClient, OkHttp 4, then OkHttp 5) against a local OpenAI-style stub,
 * exporting OTLP/HTTP to a receiver in this test.
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
        LlmSimulator h2c = LlmSimulator.builder().port(0).seed(7).profile(Profile.fast()).start()) {
      int port = freePort();
      String appCp =
          testClasspath(entry -> entry.matches(".*(okhttp-4|okio|kotlin|annotations-13).*"));
      String log =
          runApp(
              otlp,
              port,
              appCp,
              "all",
              "app-okhttp4.log",
              List.of(h2c.baseUrl()),
              "-Dotel.instrumentation.llm.endpoints=http://127.0.0.1:"
                  + port
                  + "/v1=stub-llm,"
                  + h2c.openAiBaseUrl()
                  + "=sim-llm",
              "-Dotel.instrumentation.llm.abandon-timeout=2s");
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
      awaitTrue(
          () ->
              ours(otlp).size() >= models.size() + h2Models.size() + abandoned.size() + 1
                  && hasMetric(otlp, "gen_ai.client.token.usage"),
          30);

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
        assertThat(attr(span, "server.port").getIntValue()).isEqualTo(h2c.port());
        assertThat(attr(span, "http.response.status_code").getIntValue()).isEqualTo(200);
        assertThat(attr(span, "gen_ai.response.model").getStringValue()).isEqualTo(model);
        assertThat(attr(span, "gen_ai.usage.input_tokens").getIntValue()).as(model).isPositive();
        assertThat(attr(span, "gen_ai.usage.output_tokens").getIntValue()).as(model).isPositive();
        assertThat(attr(span, "llm.request.id").getStringValue()).startsWith("req_");
        assertNoSecret(span);
        Span http = httpChildOf(otlp, span);
        assertThat(http).as("upstream HTTP span nested under " + model).isNotNull();
        assertThat(span.getEndTimeUnixNano()).isGreaterThanOrEqualTo(http.getEndTimeUnixNano());
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
        assertThat(attr(span, "gen_ai.provider.name").getStringValue()).isEqualTo("stub-llm");
        assertThat(attr(span, "server.port").getIntValue()).isEqualTo(port);
        Span http = httpChildOf(otlp, span);
        assertThat(http).as("upstream HTTP span nested under " + model).isNotNull();
        assertThat(span.getEndTimeUnixNano())
            .as(model + " ends after its HTTP span")
            .isGreaterThanOrEqualTo(http.getEndTimeUnixNano());
        // upstream's own config still works on its spans
        assertThat(http.getAttributesList())
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
        assertThat(attr(span, "gen_ai.usage.input_tokens").getIntValue())
            .isEqualTo(StubLlmServer.PROMPT_TOKENS);
        assertThat(attr(span, "gen_ai.usage.output_tokens").getIntValue())
            .isEqualTo(StubLlmServer.COMPLETION_TOKENS);
        assertThat(attr(span, "llm.request.id").getStringValue()).isEqualTo("req-" + model);
        if (model.contains("stream") || model.contains("async")) {
          assertThat(attr(span, "gen_ai.response.time_to_first_chunk").getDoubleValue())
              .as(model)
              .isPositive();
        }
      }

      // cumulative exports: the last one (at the app's exit at the latest) has every call
      List<String> expectedPoints =
          List.of("jdk-sync/input=12", "jdk-sync/output=5", "okhttp-stream/output=5");
      awaitTrue(() -> tokenPoints(otlp).containsAll(expectedPoints), 15);
      assertThat(tokenPoints(otlp)).containsAll(expectedPoints);
      awaitTrue(
          () ->
              hasMetric(otlp, "gen_ai.client.operation.duration")
                  && hasMetric(otlp, "gen_ai.client.operation.time_to_first_chunk"),
          10);

      // the stalled call was visible while it hung (gen_ai.client.operation.active / oldest_age,
      // 1 s export interval, 2 s idle deadline), then reported 0 once its span ended
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
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      int port = freePort();
      String log =
          runApp(
              otlp,
              port,
              appCp,
              "okhttp5",
              "app-okhttp5.log",
              List.of(),
              "-Dotel.instrumentation.llm.endpoints=http://127.0.0.1:" + port + "/v1=stub-llm",
              "-Dotel.javaagent.debug=true");
      // the embedded extension is loaded, and upstream's openai-java instrumentation is off by
      // default
      assertThat(log)
          .contains(
              "Loading instrumentation llm-okhttp",
              "Loading instrumentation llm-java-http-client",
              "Instrumentation openai-java is disabled");
      awaitTrue(() -> ours(otlp).size() >= 4, 30);
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
                assertThat(attr(s, "gen_ai.usage.output_tokens").getIntValue())
                    .isEqualTo(StubLlmServer.COMPLETION_TOKENS);
                assertThat(httpChildOf(otlp, s)).isNotNull();
              });
    }
  }

  private static String runApp(
      OtlpReceiver otlp,
      int port,
      String cp,
      String mode,
      String logName,
      List<String> extraAppArgs,
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
            LlmTrafficApp.class.getName(),
            Integer.toString(port),
            mode));
    cmd.addAll(extraAppArgs);
    Process process =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited = process.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(exited).as("app finished; log:\n" + output).isTrue();
    assertThat(process.exitValue()).as("app exit code; log:\n" + output).isZero();
    assertThat(output).contains("APP DONE");
    return output;
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
        .filter(s -> s.scope().equals(SCOPE))
        .map(OtlpReceiver.ScopedSpan::span)
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
            s -> !s.scope().equals(SCOPE) && s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .map(OtlpReceiver.ScopedSpan::span)
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

  private static void awaitTrue(BooleanSupplier condition, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
