package io.llmobserve.agent.common;

import io.llmobserve.providers.LlmCall;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The GenAI client metrics of the semantic conventions, recorded once per ended call. */
public final class LlmMetrics {
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");

  // bucket advice from the GenAI semantic conventions
  private static final List<Long> TOKEN_BUCKETS =
      Arrays.asList(
          1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L,
          16777216L, 67108864L);
  private static final List<Double> SECONDS_BUCKETS =
      Arrays.asList(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  private final LongHistogram tokenUsage;
  private final DoubleHistogram duration;
  private final DoubleHistogram timeToFirstChunk;

  public LlmMetrics(Meter meter) {
    tokenUsage =
        meter
            .histogramBuilder("gen_ai.client.token.usage")
            .ofLongs()
            .setUnit("{token}")
            .setDescription("Number of input and output tokens used.")
            .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
            .build();
    duration =
        meter
            .histogramBuilder("gen_ai.client.operation.duration")
            .setUnit("s")
            .setDescription("GenAI operation duration.")
            .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS)
            .build();
    timeToFirstChunk =
        meter
            .histogramBuilder("gen_ai.client.operation.time_to_first_chunk")
            .setUnit("s")
            .setDescription("Time to receive the first chunk of a streamed response.")
            .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS)
            .build();
  }

  public void record(
      LlmCall call,
      String errorType,
      String serverAddress,
      int serverPort,
      double durationSeconds) {
    MetricAttributes a = attributes(call, errorType, serverAddress, serverPort);
    duration.record(durationSeconds, a.common);
    double ttfc = call.timeToFirstChunkSeconds();
    if (!Double.isNaN(ttfc)) {
      timeToFirstChunk.record(ttfc, a.common);
    }
    long input = call.inputTokens();
    if (input >= 0) {
      tokenUsage.record(input, a.input);
    }
    long output = call.outputTokens();
    if (output >= 0) {
      tokenUsage.record(output, a.output);
    }
  }

  /**
   * The attribute sets of the last recorded call, reused while calls keep the same labels (an app
   * calls the same model on the same server again and again): three sorted attribute sets per call
   * were most of the metrics' allocation. Immutable, swapped whole.
   */
  private volatile MetricAttributes last;

  private MetricAttributes attributes(
      LlmCall call, String errorType, String serverAddress, int serverPort) {
    String provider = call.provider();
    String operation = call.operation();
    String requestModel = call.requestModel();
    String responseModel = call.responseModel();
    MetricAttributes a = last;
    if (a != null
        && a.matches(
            provider,
            operation,
            requestModel,
            responseModel,
            serverAddress,
            serverPort,
            errorType)) {
      return a;
    }
    Attributes common = commonAttributes(call, errorType, serverAddress, serverPort);
    a =
        new MetricAttributes(
            provider,
            operation,
            requestModel,
            responseModel,
            serverAddress,
            serverPort,
            errorType,
            common,
            common.toBuilder().put(TOKEN_TYPE, "input").build(),
            common.toBuilder().put(TOKEN_TYPE, "output").build());
    last = a;
    return a;
  }

  static final class MetricAttributes {
    final String provider;
    final String operation;
    final String requestModel;
    final String responseModel;
    final String serverAddress;
    final int serverPort;
    final String errorType;
    final Attributes common;
    final Attributes input;
    final Attributes output;

    MetricAttributes(
        String provider,
        String operation,
        String requestModel,
        String responseModel,
        String serverAddress,
        int serverPort,
        String errorType,
        Attributes common,
        Attributes input,
        Attributes output) {
      this.provider = provider;
      this.operation = operation;
      this.requestModel = requestModel;
      this.responseModel = responseModel;
      this.serverAddress = serverAddress;
      this.serverPort = serverPort;
      this.errorType = errorType;
      this.common = common;
      this.input = input;
      this.output = output;
    }

    boolean matches(
        String provider,
        String operation,
        String requestModel,
        String responseModel,
        String serverAddress,
        int serverPort,
        String errorType) {
      return serverPort == this.serverPort
          && Objects.equals(provider, this.provider)
          && Objects.equals(operation, this.operation)
          && Objects.equals(requestModel, this.requestModel)
          && Objects.equals(responseModel, this.responseModel)
          && Objects.equals(serverAddress, this.serverAddress)
          && Objects.equals(errorType, this.errorType);
    }
  }

  static Attributes commonAttributes(
      LlmCall call, String errorType, String serverAddress, int serverPort) {
    AttributesBuilder b = Attributes.builder();
    putIfPresent(b, PROVIDER, call.provider());
    putIfPresent(b, OPERATION, call.operation());
    putIfPresent(b, REQUEST_MODEL, call.requestModel());
    putIfPresent(b, RESPONSE_MODEL, call.responseModel());
    putIfPresent(b, SERVER_ADDRESS, serverAddress);
    if (serverPort > 0) {
      b.put(SERVER_PORT, (long) serverPort);
    }
    putIfPresent(b, ERROR_TYPE, errorType);
    return b.build();
  }

  private static void putIfPresent(AttributesBuilder b, AttributeKey<String> key, String value) {
    if (value != null && !value.isEmpty()) {
      b.put(key, value);
    }
  }
}
