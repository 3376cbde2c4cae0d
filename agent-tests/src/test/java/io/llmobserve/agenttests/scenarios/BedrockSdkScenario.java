package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * The AWS SDK v2 bedrockruntime sync client, SigV4-signed with static fake credentials, on each of
 * its sync HTTP clients: apache-client (HttpClient 4, the default), apache5-client and
 * url-connection-client. Converse and InvokeModel (the streaming operations exist only on the async
 * client). The endpoint is the real Bedrock host name, resolved to the simulator through {@code
 * jdk.net.hosts.file}, so the region comes from the host as in production. Args: simulator base
 * URL.
 */
public final class BedrockSdkScenario {
  public static final String ACCESS_KEY = "AKIAFAKEACCESS0KEY01";
  public static final String SECRET_KEY = "fakeSecretKey/SECRET0123456789abcdefghij";
  public static final String HOST = "bedrock-runtime.us-east-1.amazonaws.com";
  public static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(Results.providerUrl(args[0], HOST));
    run("bedrock.apache4", ApacheHttpClient.create(), endpoint);
    run("bedrock.apache5", Apache5HttpClient.create(), endpoint);
    run("bedrock.urlconnection", UrlConnectionHttpClient.create(), endpoint);
  }

  static void run(String prefix, SdkHttpClient http, URI endpoint) {
    SentRequests sent = new SentRequests();
    try (BedrockRuntimeClient client =
        BedrockRuntimeClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(endpoint)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .httpClient(http)
            .overrideConfiguration(
                c -> c.addExecutionInterceptor(sent).retryStrategy(r -> r.maxAttempts(1)))
            .build()) {
      call(
          prefix + ".converse",
          () -> {
            String label = prefix + ".converse";
            ConverseResponse r =
                client.converse(
                    b ->
                        b.modelId(MODEL)
                            .messages(
                                Message.builder()
                                    .role(ConversationRole.USER)
                                    .content(ContentBlock.fromText("Say hello"))
                                    .build())
                            .inferenceConfig(c -> c.maxTokens(64))
                            .overrideConfiguration(o -> o.putHeader(CALL_HEADER, label)));
            return withSent(
                sent.get(label),
                values(
                    "status", r.sdkHttpResponse().statusCode(),
                    "requestId", r.responseMetadata().requestId(),
                    "output", r.usage().outputTokens(),
                    "finish", r.stopReasonAsString()));
          });
      call(
          prefix + ".invoke",
          () -> {
            String label = prefix + ".invoke";
            String body =
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":64,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
            InvokeModelResponse r =
                client.invokeModel(
                    b ->
                        b.modelId(MODEL)
                            .contentType("application/json")
                            .body(SdkBytes.fromUtf8String(body))
                            .overrideConfiguration(o -> o.putHeader(CALL_HEADER, label)));
            return withSent(
                sent.get(label),
                values(
                    "status", r.sdkHttpResponse().statusCode(),
                    "sha256", Results.sha256(r.body().asByteArray()),
                    "requestId", r.responseMetadata().requestId()));
          });
    }
  }

  static Map<String, String> withSent(String[] sent, Map<String, String> values) {
    if (sent != null) {
      values.put("requestSha256", sent[0]);
      values.put("authorizationSha256", sent[1]);
    }
    return values;
  }

  /**
   * What the SDK really transmitted (signed headers and body), seen right before transmission: the
   * simulator must have received exactly that, byte for byte.
   */
  static final class SentRequests implements ExecutionInterceptor {
    private final Map<String, String[]> byLabel = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      String label = context.httpRequest().firstMatchingHeader(CALL_HEADER).orElse(null);
      if (label == null) {
        return;
      }
      byte[] body =
          context
              .requestBody()
              .map(
                  b -> {
                    try (InputStream in = b.contentStreamProvider().newStream()) {
                      return in.readAllBytes();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .orElse(new byte[0]);
      String auth = context.httpRequest().firstMatchingHeader("Authorization").orElse("");
      byLabel.put(
          label,
          new String[] {
            Results.sha256(body), Results.sha256(auth.getBytes(StandardCharsets.UTF_8))
          });
    }

    String[] get(String label) {
      return byLabel.get(label);
    }
  }
}
