package io.llmobserve.agenttests.aws;

import static io.llmobserve.agenttests.aws.Results.CALL_HEADER;
import static io.llmobserve.agenttests.aws.Results.call;
import static io.llmobserve.agenttests.aws.Results.sha256;
import static io.llmobserve.agenttests.aws.Results.values;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;

/**
 * The AWS SDK v2 Bedrock runtime ASYNC client on netty-nio-client, HTTP/1.1 and HTTP/2 (prior
 * knowledge over cleartext), SigV4-signed with static fake credentials: Converse, ConverseStream,
 * InvokeModel, InvokeModelWithResponseStream. The endpoint is the real regional host name (the
 * test's hosts file points it at the simulator), so the region comes from the host. Args: simulator
 * port.
 */
public final class BedrockAsyncScenario {
  public static final String ACCESS_KEY = "AKIAFAKEEXAMPLE12345";
  public static final String SECRET_KEY = "fakeSecretKey/SECRET-aws-0123456789abcdef";
  static final String HOST = "bedrock-runtime.us-east-1.amazonaws.com";
  static final String CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  static final String NOVA = "us.amazon.nova-lite-v1:0";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    call("aws.version", () -> values("sdk", VersionInfo.SDK_VERSION));
    try (BedrockRuntimeAsyncClient h1 = client(port, Protocol.HTTP1_1);
        BedrockRuntimeAsyncClient h2 = client(port, Protocol.HTTP2)) {
      call("bedrock.h1.converse", () -> converse(h1, "bedrock.h1.converse", NOVA));
      call(
          "bedrock.h1.converseStream",
          () -> converseStream(h1, "bedrock.h1.converseStream", CLAUDE));
      call("bedrock.h1.invoke", () -> invoke(h1, "bedrock.h1.invoke"));
      call("bedrock.h1.invokeStream", () -> invokeStream(h1, "bedrock.h1.invokeStream"));
      call("bedrock.h2.converse", () -> converse(h2, "bedrock.h2.converse", CLAUDE));
      call(
          "bedrock.h2.converseStream", () -> converseStream(h2, "bedrock.h2.converseStream", NOVA));
      call("bedrock.h2.invokeStream", () -> invokeStream(h2, "bedrock.h2.invokeStream"));
    }
    System.out.println("DONE");
    System.exit(0);
  }

  static BedrockRuntimeAsyncClient client(int port, Protocol protocol) {
    return BedrockRuntimeAsyncClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://" + HOST + ":" + port))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(
            NettyNioAsyncHttpClient.builder()
                .protocol(protocol)
                .connectionTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  private static Message user() {
    return Message.builder()
        .role(ConversationRole.USER)
        .content(ContentBlock.fromText("Say hello"))
        .build();
  }

  static Map<String, String> converse(BedrockRuntimeAsyncClient client, String label, String model)
      throws Exception {
    ConverseResponse r =
        client
            .converse(
                ConverseRequest.builder()
                    .modelId(model)
                    .messages(user())
                    .inferenceConfig(InferenceConfiguration.builder().maxTokens(40).build())
                    .overrideConfiguration(o -> o.putHeader(CALL_HEADER, label))
                    .build())
            .get(30, TimeUnit.SECONDS);
    return values(
        "requestId",
        r.responseMetadata().requestId(),
        "output",
        r.usage().outputTokens(),
        "finish",
        r.stopReasonAsString(),
        "protocol",
        label.contains(".h2.") ? "HTTP/2" : "HTTP/1.1");
  }

  static Map<String, String> converseStream(
      BedrockRuntimeAsyncClient client, String label, String model) throws Exception {
    AtomicReference<ConverseStreamMetadataEvent> metadata = new AtomicReference<>();
    AtomicReference<String> stop = new AtomicReference<>();
    AtomicReference<String> requestId = new AtomicReference<>();
    AtomicInteger events = new AtomicInteger();
    ConverseStreamResponseHandler handler =
        ConverseStreamResponseHandler.builder()
            .onResponse(r -> requestId.set(r.responseMetadata().requestId()))
            .subscriber(
                ConverseStreamResponseHandler.Visitor.builder()
                    .onDefault(e -> events.incrementAndGet())
                    .onContentBlockDelta(e -> events.incrementAndGet())
                    .onMessageStop(
                        (MessageStopEvent e) -> {
                          events.incrementAndGet();
                          stop.set(e.stopReasonAsString());
                        })
                    .onMetadata(
                        e -> {
                          events.incrementAndGet();
                          metadata.set(e);
                        })
                    .build())
            .build();
    client
        .converseStream(
            ConverseStreamRequest.builder()
                .modelId(model)
                .messages(user())
                .inferenceConfig(InferenceConfiguration.builder().maxTokens(40).build())
                .overrideConfiguration(o -> o.putHeader(CALL_HEADER, label))
                .build(),
            handler)
        .get(30, TimeUnit.SECONDS);
    return values(
        "requestId",
        requestId.get(),
        "output",
        metadata.get().usage().outputTokens(),
        "finish",
        stop.get(),
        "events",
        events.get());
  }

  static String anthropicBody() {
    return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":40,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  static Map<String, String> invoke(BedrockRuntimeAsyncClient client, String label)
      throws Exception {
    InvokeModelResponse r =
        client
            .invokeModel(
                InvokeModelRequest.builder()
                    .modelId(CLAUDE)
                    .contentType("application/json")
                    .accept("application/json")
                    .body(SdkBytes.fromString(anthropicBody(), StandardCharsets.UTF_8))
                    .overrideConfiguration(o -> o.putHeader(CALL_HEADER, label))
                    .build())
            .get(30, TimeUnit.SECONDS);
    return values(
        "requestId", r.responseMetadata().requestId(), "sha256", sha256(r.body().asByteArray()));
  }

  static Map<String, String> invokeStream(BedrockRuntimeAsyncClient client, String label)
      throws Exception {
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    AtomicReference<String> requestId = new AtomicReference<>();
    AtomicInteger parts = new AtomicInteger();
    InvokeModelWithResponseStreamResponseHandler handler =
        InvokeModelWithResponseStreamResponseHandler.builder()
            .onResponse(r -> requestId.set(r.responseMetadata().requestId()))
            .subscriber(
                InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                    .onChunk(
                        (PayloadPart p) -> {
                          parts.incrementAndGet();
                          synchronized (chunks) {
                            chunks.writeBytes(p.bytes().asByteArray());
                          }
                        })
                    .build())
            .build();
    client
        .invokeModelWithResponseStream(
            InvokeModelWithResponseStreamRequest.builder()
                .modelId(CLAUDE)
                .contentType("application/json")
                .accept("application/json")
                .body(SdkBytes.fromString(anthropicBody(), StandardCharsets.UTF_8))
                .overrideConfiguration(o -> o.putHeader(CALL_HEADER, label))
                .build(),
            handler)
        .get(30, TimeUnit.SECONDS);
    String text = chunks.toString(StandardCharsets.UTF_8);
    return values(
        "requestId",
        requestId.get(),
        "parts",
        parts.get(),
        "sawMessageStop",
        text.contains("\"message_stop\""));
  }
}
