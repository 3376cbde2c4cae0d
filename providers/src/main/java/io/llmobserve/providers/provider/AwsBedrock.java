package io.llmobserve.providers.provider;

import static io.llmobserve.providers.body.Field.NUMBER;
import static io.llmobserve.providers.body.Field.STRING;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.body.Fields;
import io.llmobserve.providers.body.RequestBodyReader;
import io.llmobserve.providers.body.ResponseBodyReader;
import io.llmobserve.providers.detect.Paths;

/**
 * Amazon Bedrock runtime: /model/{modelId}/{converse|converse-stream|invoke|
 * invoke-with-response-stream} on bedrock-runtime.{region}.amazonaws.com; Converse bodies, the
 * binary event-stream (its exception frames and base64-wrapped invoke chunks are read by {@code
 * body.AwsEventStreamDecoder}) and the invocation metrics of invoke streams.
 */
public final class AwsBedrock extends Provider {
  private static final String AMAZONAWS = ".amazonaws.com";
  private static final String[] REQUEST_ID_HEADERS = {"x-amzn-requestid", "x-amz-request-id"};
  private static final String[] PROCESSING = {"x-amzn-bedrock-invocation-latency"};

  public AwsBedrock() {
    super(GenAiAttributes.PROVIDER_AWS_BEDROCK);
  }

  @Override
  public boolean ownsHost(String host) {
    return host.endsWith(AMAZONAWS) && host.startsWith("bedrock-runtime");
  }

  @Override
  public LlmEndpoint endpoint(String host, String path) {
    String op = operation(path);
    if (op == null) {
      return null;
    }
    int dot = host.indexOf('.');
    int end = host.length() - AMAZONAWS.length();
    String region = dot > 0 && dot < end ? host.substring(dot + 1, end) : null;
    return new LlmEndpoint(name(), op, model(path), isStream(path), region, false);
  }

  /** The operation of a runtime path, or null. */
  public static String operation(String path) {
    if (!path.startsWith("/model/")) {
      return null;
    }
    if (path.endsWith("/converse")
        || path.endsWith("/converse-stream")
        || path.endsWith("/invoke")
        || path.endsWith("/invoke-with-response-stream")) {
      return GenAiAttributes.OP_CHAT;
    }
    return null;
  }

  public static boolean isStream(String path) {
    return path.endsWith("/converse-stream") || path.endsWith("/invoke-with-response-stream");
  }

  /** The model id, URL-decoded (anthropic.claude-3-5-sonnet-20240620-v1%3A0). */
  public static String model(String path) {
    int end = path.lastIndexOf('/');
    if (end <= 7) {
      return null;
    }
    return Paths.decode(path.substring(7, end));
  }

  @Override
  public String hosting() {
    return GenAiAttributes.HOSTING_AWS;
  }

  @Override
  public boolean isCloud() {
    return true;
  }

  @Override
  public boolean servedByItsCloud(HeaderReader h) {
    return h.get("x-amzn-requestid") != null
        || h.get("x-amzn-bedrock-invocation-latency") != null
        || h.get("x-amz-apigw-id") != null;
  }

  @Override
  public String[] requestIdHeaders() {
    return REQUEST_ID_HEADERS;
  }

  @Override
  public String[] processingTimeHeaders() {
    return PROCESSING;
  }

  @Override
  public void requestFields(Fields.Builder f) {
    f.underAtMost("temperature", NUMBER, RequestBodyReader.T_TEMPERATURE, 32, 2, "inferenceConfig")
        .underAtMost("maxTokens", NUMBER, RequestBodyReader.T_MAX_TOKENS, 32, 2, "inferenceConfig");
  }

  @Override
  public void responseFields(Fields.Builder f) {
    // Converse: usage.inputTokens (cache reads and writes on top); invoke streams: the metrics
    f.under("inputTokens", NUMBER, ResponseBodyReader.T_INPUT, 24, "usage")
        .under("outputTokens", NUMBER, ResponseBodyReader.T_OUTPUT, 24, "usage")
        .under("cacheReadInputTokens", NUMBER, ResponseBodyReader.T_CACHE_READ_EXTRA, 24, "usage")
        .under("cacheWriteInputTokens", NUMBER, ResponseBodyReader.T_CACHE_WRITE_EXTRA, 24, "usage")
        .under(
            "inputTokenCount",
            NUMBER,
            ResponseBodyReader.T_INVOCATION_INPUT,
            24,
            "amazon-bedrock-invocationMetrics")
        .under(
            "outputTokenCount",
            NUMBER,
            ResponseBodyReader.T_INVOCATION_OUTPUT,
            24,
            "amazon-bedrock-invocationMetrics")
        .anyAtMost("stopReason", STRING, ResponseBodyReader.T_FINISH, 64, 4)
        // invoke-with-response-stream: {"bytes":"<base64 of the model's own JSON event>"}
        .top("bytes", STRING, ResponseBodyReader.T_BEDROCK_BYTES, 256 * 1024);
  }
}
