package io.llmobserve.agenttests.scenarios;

import static io.llmobserve.agenttests.scenarios.Results.CALL_HEADER;
import static io.llmobserve.agenttests.scenarios.Results.call;
import static io.llmobserve.agenttests.scenarios.Results.values;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * anthropic-java 3.x (OkHttp 4 underneath; it also emits its own gen_ai spans when an agent is
 * present) against the simulator's /v1/messages: sync, raw body, streaming, async. Args: simulator
 * base URL.
 */
public final class AnthropicSdkScenario {
  public static final String API_KEY = "sk-ant-SECRET456";

  public static void main(String[] args) {
    AnthropicClient client =
        AnthropicOkHttpClient.builder().baseUrl(args[0]).apiKey(API_KEY).maxRetries(0).build();

    call(
        "anthropic.sync",
        () -> describe(client.messages().create(params("anthropic.sync", "claude-sonnet-4-5"))));

    call(
        "anthropic.raw",
        () -> {
          try (HttpResponseFor<Message> r =
                  client
                      .messages()
                      .withRawResponse()
                      .create(params("anthropic.raw", "claude-haiku-4-5"));
              InputStream body = r.body()) {
            return values(
                "status",
                r.statusCode(),
                "sha256",
                Results.sha256(body.readAllBytes()),
                "requestId",
                r.requestId().orElse(""));
          }
        });

    call(
        "anthropic.stream",
        () -> {
          MessageAccumulator acc = MessageAccumulator.create();
          int events = 0;
          try (StreamResponse<RawMessageStreamEvent> s =
              client.messages().createStreaming(params("anthropic.stream", "claude-sonnet-4-5"))) {
            for (RawMessageStreamEvent e : (Iterable<RawMessageStreamEvent>) s.stream()::iterator) {
              acc.accumulate(e);
              events++;
            }
          }
          var v = describe(acc.message());
          v.put("events", String.valueOf(events));
          return v;
        });

    call(
        "anthropic.async",
        () ->
            describe(
                client
                    .async()
                    .messages()
                    .create(params("anthropic.async", "claude-opus-4-1"))
                    .get(30, TimeUnit.SECONDS)));

    client.close();
  }

  static Map<String, String> describe(Message m) {
    return values(
        "id",
        m.id(),
        "model",
        m.model().asString(),
        "finish",
        m.stopReason().map(r -> r.asString()).orElse(""),
        "input",
        m.usage().inputTokens(),
        "output",
        m.usage().outputTokens(),
        "cacheRead",
        m.usage().cacheReadInputTokens().orElse(0L),
        "cacheCreation",
        m.usage().cacheCreationInputTokens().orElse(0L));
  }

  static MessageCreateParams params(String label, String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(128)
        .addUserMessage("Say hello to " + label)
        .putAdditionalHeader(CALL_HEADER, label)
        .build();
  }
}
