package io.llmobserve.agenttests.netty;

import static io.llmobserve.agenttests.netty.NettyAppsScenario.ANTHROPIC_KEY;
import static io.llmobserve.agenttests.netty.NettyAppsScenario.OPENAI_KEY;
import static io.llmobserve.agenttests.netty.NettyAppsScenario.TIMEOUT;
import static io.llmobserve.agenttests.netty.NettyAppsScenario.chatBody;
import static io.llmobserve.agenttests.netty.Results.CALL_HEADER;
import static io.llmobserve.agenttests.netty.Results.call;
import static io.llmobserve.agenttests.netty.Results.sha256;
import static io.llmobserve.agenttests.netty.Results.values;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.anthropic.api.AnthropicApi;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Spring on Reactor Netty: WebClient and RestClient (ReactorClientHttpRequestFactory) raw, and
 * Spring AI's OpenAI and Anthropic chat models, whose call() runs on RestClient and stream() on
 * WebClient. Each call gets its own client builders carrying its label header.
 */
final class SpringScenarios {
  private SpringScenarios() {}

  static void run(String base) {
    WebClient web = WebClient.builder().baseUrl(base).build();
    call(
        "spring.webclient.chat",
        () -> webClient(web, "spring.webclient.chat", chatBody("gpt-4o-mini", false)));
    call(
        "spring.webclient.stream",
        () -> webClient(web, "spring.webclient.stream", chatBody("gpt-4o", true)));
    call(
        "spring.restclient.chat",
        () -> {
          RestClient rest =
              RestClient.builder()
                  .requestFactory(new ReactorClientHttpRequestFactory())
                  .baseUrl(base)
                  .build();
          ResponseEntity<byte[]> r =
              rest.post()
                  .uri("/v1/chat/completions")
                  .header("Authorization", "Bearer " + OPENAI_KEY)
                  .header(CALL_HEADER, "spring.restclient.chat")
                  .contentType(MediaType.APPLICATION_JSON)
                  .body(chatBody("gpt-4o-mini", false))
                  .retrieve()
                  .toEntity(byte[].class);
          return values(
              "status",
              r.getStatusCode().value(),
              "sha256",
              sha256(r.getBody()),
              "requestId",
              r.getHeaders().getFirst("x-request-id"));
        });

    call(
        "springai.openai.call",
        () -> chat(openAi(base, "springai.openai.call", false, false), null));
    call(
        "springai.openai.stream", () -> stream(openAi(base, "springai.openai.stream", true, true)));
    // Spring AI's defaults: streamUsage off, so the stream carries no usage and the agent counts
    call(
        "springai.openai.stream.defaults",
        () -> stream(openAi(base, "springai.openai.stream.defaults", true, false)));
    call("springai.anthropic.call", () -> chat(anthropic(base, "springai.anthropic.call"), null));
    call("springai.anthropic.stream", () -> stream(anthropic(base, "springai.anthropic.stream")));
  }

  static Map<String, String> webClient(WebClient web, String label, String body) {
    return web.post()
        .uri("/v1/chat/completions")
        .header("Authorization", "Bearer " + OPENAI_KEY)
        .header(CALL_HEADER, label)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchangeToMono(
            response ->
                response
                    .bodyToFlux(byte[].class)
                    .collectList()
                    .map(
                        chunks -> {
                          ByteArrayOutputStream all = new ByteArrayOutputStream();
                          chunks.forEach(all::writeBytes);
                          return values(
                              "status",
                              response.statusCode().value(),
                              "sha256",
                              sha256(all.toByteArray()),
                              "requestId",
                              response.headers().asHttpHeaders().getFirst("x-request-id"));
                        }))
        .block(TIMEOUT);
  }

  private static RestClient.Builder restClient(String label) {
    return RestClient.builder()
        .requestFactory(new ReactorClientHttpRequestFactory())
        .defaultHeader(CALL_HEADER, label);
  }

  private static WebClient.Builder webClient(String label) {
    return WebClient.builder().defaultHeader(CALL_HEADER, label);
  }

  /** Spring AI's observations become spans through Micrometer's OTel bridge, as in a Boot app. */
  static final String OBSERVATION_SCOPE = "spring-ai-observations";

  private static final ObservationRegistry OBSERVATIONS = observations();

  private static ObservationRegistry observations() {
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(
            GlobalOpenTelemetry.get().getTracer(OBSERVATION_SCOPE),
            current,
            event -> {},
            new OtelBaggageManager(current, List.of(), List.of()));
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    return registry;
  }

  static ChatModel openAi(String base, String label, boolean stream, boolean streamUsage) {
    OpenAiApi api =
        OpenAiApi.builder()
            .baseUrl(base)
            .apiKey(OPENAI_KEY)
            .restClientBuilder(restClient(label))
            .webClientBuilder(webClient(label))
            .build();
    OpenAiChatOptions.Builder options =
        OpenAiChatOptions.builder()
            .model(stream ? "gpt-4o" : "gpt-4o-mini")
            .maxTokens(64)
            .temperature(0.2);
    if (streamUsage) {
      options.streamUsage(true);
    }
    return OpenAiChatModel.builder()
        .openAiApi(api)
        .defaultOptions(options.build())
        .observationRegistry(OBSERVATIONS)
        .build();
  }

  static ChatModel anthropic(String base, String label) {
    AnthropicApi api =
        AnthropicApi.builder()
            .baseUrl(base)
            .apiKey(ANTHROPIC_KEY)
            .restClientBuilder(restClient(label))
            .webClientBuilder(webClient(label))
            .build();
    return AnthropicChatModel.builder()
        .anthropicApi(api)
        .defaultOptions(
            AnthropicChatOptions.builder().model("claude-3-5-haiku-latest").maxTokens(128).build())
        .observationRegistry(OBSERVATIONS)
        .build();
  }

  static Map<String, String> chat(ChatModel model, String ignored) {
    ChatResponse r = model.call(new Prompt("Say hello"));
    return describe(r, r.getResult().getOutput().getText());
  }

  static Map<String, String> stream(ChatModel model) {
    List<ChatResponse> parts = model.stream(new Prompt("Say hello")).collectList().block(TIMEOUT);
    StringBuilder text = new StringBuilder();
    ChatResponse last = null;
    String id = null;
    String modelName = null;
    String finish = null;
    for (ChatResponse p : parts) {
      if (p.getMetadata() != null
          && p.getMetadata().getId() != null
          && !p.getMetadata().getId().isEmpty()) {
        id = p.getMetadata().getId();
      }
      if (p.getMetadata() != null
          && p.getMetadata().getModel() != null
          && !p.getMetadata().getModel().isEmpty()) {
        modelName = p.getMetadata().getModel();
      }
      if (p.getResult() != null) {
        if (p.getResult().getOutput() != null && p.getResult().getOutput().getText() != null) {
          text.append(p.getResult().getOutput().getText());
        }
        String f =
            p.getResult().getMetadata() == null
                ? null
                : p.getResult().getMetadata().getFinishReason();
        if (f != null && !f.isEmpty()) {
          finish = f;
        }
      }
      last = p;
    }
    Integer output =
        // a stream without usage leaves Spring AI's EmptyUsage (all zero): the app saw no count
        last == null
                || last.getMetadata().getUsage() == null
                || last.getMetadata().getUsage().getTotalTokens() == 0
            ? null
            : last.getMetadata().getUsage().getCompletionTokens();
    Map<String, String> v =
        values(
            "id",
            id,
            "model",
            modelName,
            "finish",
            finish == null ? null : finish.toLowerCase(Locale.ROOT),
            "parts",
            parts.size(),
            "chars",
            text.length());
    if (output != null) {
      v.put("output", String.valueOf(output));
    }
    return v;
  }

  private static Map<String, String> describe(ChatResponse r, String text) {
    String finish = r.getResult().getMetadata().getFinishReason();
    return values(
        "id",
        r.getMetadata().getId(),
        "model",
        r.getMetadata().getModel(),
        "output",
        r.getMetadata().getUsage().getCompletionTokens(),
        "finish",
        finish == null ? null : finish.toLowerCase(Locale.ROOT),
        "chars",
        text == null ? 0 : text.length());
  }
}
