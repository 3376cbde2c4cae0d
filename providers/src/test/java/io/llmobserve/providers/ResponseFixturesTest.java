package io.llmobserve.providers;

import static io.llmobserve.providers.TestSupport.attributes;
import static io.llmobserve.providers.TestSupport.fixture;
import static io.llmobserve.providers.TestSupport.headers;
import static io.llmobserve.providers.TestSupport.respond;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Recorded-style response bodies of every provider/format, fed in every split position. */
class ResponseFixturesTest {
  static final String JSON = "application/json";
  static final String SSE = "text/event-stream; charset=utf-8";

  static final LlmEndpoint OPENAI = new LlmEndpoint("openai", "chat");
  static final LlmEndpoint AZURE =
      new LlmEndpoint("azure.ai.openai", "chat", "gpt-4o-deploy", false, null, false);
  static final LlmEndpoint ANTHROPIC = new LlmEndpoint("anthropic", "chat");
  static final LlmEndpoint OLLAMA = new LlmEndpoint("ollama", "chat", null, false, null, true);
  static final LlmEndpoint GEMINI =
      new LlmEndpoint("gcp.gemini", "generate_content", "gemini-2.5-flash", false, null, false);
  static final LlmEndpoint BEDROCK =
      new LlmEndpoint("aws.bedrock", "chat", "anthropic.claude-3-haiku", false, "us-east-1", false);

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("openai-chat.json", OPENAI, 200, JSON),
        Arguments.of("openai-chat-stream.sse", OPENAI, 200, SSE),
        Arguments.of("azure-chat-stream.sse", AZURE, 200, SSE),
        Arguments.of("openai-responses.json", OPENAI, 200, JSON),
        Arguments.of("openai-responses-stream.sse", OPENAI, 200, SSE),
        Arguments.of("anthropic-messages.json", ANTHROPIC, 200, JSON),
        Arguments.of("anthropic-messages-stream.sse", ANTHROPIC, 200, SSE),
        Arguments.of("ollama-chat.ndjson", OLLAMA, 200, "application/x-ndjson"),
        Arguments.of("openai-error.json", OPENAI, 429, JSON),
        Arguments.of("anthropic-error.json", ANTHROPIC, 529, JSON),
        Arguments.of("gemini-generate.json", GEMINI, 200, JSON),
        Arguments.of("bedrock-converse.json", BEDROCK, 200, JSON));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everySplitPositionGivesTheSameAttributes(
      String name, LlmEndpoint ep, int status, String ct) {
    byte[] body = fixture(name);
    HeaderReader h = headers("content-type", ct);
    Map<String, Object> expected =
        attributes(respond(ep, status, h, body, TestSupport.whole(body.length)));
    assertThat(expected).containsKey(GenAiAttributes.PROVIDER_NAME);
    for (int at = 0; at <= body.length; at++) {
      assertThat(attributes(respond(ep, status, h, body, TestSupport.split(body.length, at))))
          .as("%s split at %d", name, at)
          .isEqualTo(expected);
    }
    for (long seed = 0; seed < 50; seed++) {
      assertThat(
              attributes(
                  respond(
                      ep,
                      status,
                      h,
                      body,
                      TestSupport.randomChunks(body.length, seed, 1 + (int) seed))))
          .as("%s random chunks seed %d", name, seed)
          .isEqualTo(expected);
    }
  }

  private static Map<String, Object> read(String name, LlmEndpoint ep, int status, String ct) {
    byte[] body = fixture(name);
    return attributes(
        respond(ep, status, headers("content-type", ct), body, TestSupport.whole(body.length)));
  }

  private static Map<String, Object> readBody(byte[] body, LlmEndpoint ep, int status) {
    return attributes(
        respond(ep, status, headers("content-type", JSON), body, TestSupport.whole(body.length)));
  }

  @org.junit.jupiter.api.Test
  void openAiChatJson() {
    Map<String, Object> a = read("openai-chat.json", OPENAI, 200, JSON);
    assertThat(a)
        .containsEntry("gen_ai.response.model", "gpt-4o-2024-08-06")
        .containsEntry("gen_ai.response.id", "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG")
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.input_tokens", 1117L)
        .containsEntry("gen_ai.usage.output_tokens", 46L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 1024L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 0L)
        .containsEntry("openai.response.system_fingerprint", "fp_fc9f1d7035")
        .containsEntry("openai.response.service_tier", "default")
        .containsEntry("gen_ai.request.stream", false)
        .containsEntry("http.response.status_code", 200L)
        .doesNotContainKeys(
            "error.type", "gen_ai.output.messages", "gen_ai.usage.cache_creation.input_tokens");
  }

  @Test
  void openAiChatStreamWithIncludeUsage() {
    Map<String, Object> a = read("openai-chat-stream.sse", OPENAI, 200, SSE);
    assertThat(a)
        .containsEntry("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        .containsEntry("gen_ai.response.id", "chatcmpl-AyPyvNTtD3Yq5yLNmGeWc4wBqTdga")
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.input_tokens", 19L)
        .containsEntry("gen_ai.usage.output_tokens", 10L)
        .containsEntry("gen_ai.request.stream", true);
  }

  @Test
  void azureStreamTakesTheFirstNonEmptyModel() {
    Map<String, Object> a = read("azure-chat-stream.sse", AZURE, 200, SSE);
    assertThat(a)
        .containsEntry("gen_ai.provider.name", "azure.ai.openai")
        .containsEntry("gen_ai.request.model", "gpt-4o-deploy")
        .containsEntry("gen_ai.response.model", "gpt-4o-2024-11-20")
        .containsEntry("gen_ai.response.id", "chatcmpl-B9MkFZ1XqlM0iN8f2a")
        .containsEntry("gen_ai.response.finish_reasons", List.of("length"))
        .containsEntry("gen_ai.usage.input_tokens", 14L)
        .containsEntry("gen_ai.usage.output_tokens", 7L)
        .containsEntry("openai.response.system_fingerprint", "fp_b705f0c291");
  }

  @Test
  void responsesApiJson() {
    Map<String, Object> a = read("openai-responses.json", OPENAI, 200, JSON);
    assertThat(a)
        .containsEntry("gen_ai.response.model", "o4-mini-2025-04-16")
        .containsEntry(
            "gen_ai.response.id", "resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41")
        .containsEntry("gen_ai.response.finish_reasons", List.of("completed"))
        .containsEntry("gen_ai.usage.input_tokens", 328L)
        .containsEntry("gen_ai.usage.output_tokens", 152L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 128L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 64L);
  }

  @Test
  void responsesApiStream() {
    Map<String, Object> a = read("openai-responses-stream.sse", OPENAI, 200, SSE);
    assertThat(a)
        .containsEntry("gen_ai.response.model", "gpt-4.1-2025-04-14")
        .containsEntry("gen_ai.response.id", "resp_68a1f0c2b7d48193")
        .containsEntry("gen_ai.response.finish_reasons", List.of("completed"))
        .containsEntry("gen_ai.usage.input_tokens", 37L)
        .containsEntry("gen_ai.usage.output_tokens", 11L)
        .containsEntry("openai.response.service_tier", "default");
  }

  @Test
  void anthropicJsonCountsCacheTokensAsInput() {
    Map<String, Object> a = read("anthropic-messages.json", ANTHROPIC, 200, JSON);
    assertThat(a)
        .containsEntry("gen_ai.response.model", "claude-sonnet-4-20250514")
        .containsEntry("gen_ai.response.id", "msg_01XFDUDYJgAACzvnptvVoYEL")
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("gen_ai.usage.input_tokens", 21L + 188086L + 1024L)
        .containsEntry("gen_ai.usage.output_tokens", 393L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 1024L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 188086L);
  }

  @Test
  void anthropicStreamUsesCumulativeDelta() {
    Map<String, Object> a = read("anthropic-messages-stream.sse", ANTHROPIC, 200, SSE);
    assertThat(a)
        .containsEntry("gen_ai.response.model", "claude-3-5-haiku-20241022")
        .containsEntry("gen_ai.response.id", "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY")
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("gen_ai.usage.input_tokens", 25L + 2048L)
        .containsEntry("gen_ai.usage.output_tokens", 15L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 2048L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 0L)
        .containsEntry("gen_ai.request.stream", true);
  }

  @Test
  void ollamaNdjson() {
    Map<String, Object> a = read("ollama-chat.ndjson", OLLAMA, 200, "application/x-ndjson");
    assertThat(a)
        .containsEntry("gen_ai.response.model", "llama3.2")
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.input_tokens", 26L)
        .containsEntry("gen_ai.usage.output_tokens", 282L)
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("llm.hosting.provider", "self-hosted");
  }

  @Test
  void errorBodiesKeepTheProviderTypeAndStatusAsErrorType() {
    assertThat(read("openai-error.json", OPENAI, 429, JSON))
        .containsEntry("error.type", "429")
        .containsEntry("llm.error.type", "insufficient_quota")
        .containsEntry("http.response.status_code", 429L)
        .doesNotContainKey("gen_ai.usage.input_tokens");
    assertThat(read("anthropic-error.json", ANTHROPIC, 529, JSON))
        .containsEntry("error.type", "529")
        .containsEntry("llm.error.type", "overloaded_error");
  }

  @org.junit.jupiter.api.Test
  void aNamedErrorCodeSaysMoreThanTheType() {
    // OpenAI's rate limits: type "tokens" / "requests", code "rate_limit_exceeded"
    byte[] body =
        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(readBody(body, OPENAI, 429)).containsEntry("llm.error.type", "rate_limit_exceeded");
    // Gemini: a numeric code is the HTTP status, the type is absent
    byte[] gemini =
        "{\"error\":{\"code\":400,\"message\":\"bad\",\"status\":\"INVALID_ARGUMENT\"}}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(readBody(gemini, GEMINI, 400)).containsEntry("llm.error.type", "400");
  }

  @org.junit.jupiter.api.Test
  void anthropicErrorEventInsideA200Stream() {
    byte[] body =
        ("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
                + "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n")
            .getBytes(StandardCharsets.UTF_8);
    Map<String, Object> a =
        attributes(
            respond(
                ANTHROPIC,
                200,
                headers("content-type", SSE),
                body,
                TestSupport.whole(body.length)));
    assertThat(a)
        .containsEntry("error.type", "overloaded_error")
        .containsEntry("gen_ai.usage.input_tokens", 5L);
  }

  @Test
  void geminiUsageMetadata() {
    assertThat(read("gemini-generate.json", GEMINI, 200, JSON))
        .containsEntry("gen_ai.request.model", "gemini-2.5-flash")
        .containsEntry("gen_ai.response.model", "gemini-2.5-flash")
        .containsEntry("gen_ai.response.id", "mF2eaP6TLZKd1dkPk9mM4A8")
        .containsEntry("gen_ai.response.finish_reasons", List.of("STOP"))
        .containsEntry("gen_ai.usage.input_tokens", 120L)
        .containsEntry("gen_ai.usage.output_tokens", 70L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 100L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 40L);
  }

  @Test
  void geminiStreamAsJsonArray() {
    byte[] body =
        ("[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"}}],"
                + "\"usageMetadata\":{\"promptTokenCount\":9},\"modelVersion\":\"gemini-2.0-flash\",\"responseId\":\"r-1\"}\r\n,"
                + "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" there\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}],"
                + "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":4,\"totalTokenCount\":13},"
                + "\"modelVersion\":\"gemini-2.0-flash\",\"responseId\":\"r-1\"}]")
            .getBytes(StandardCharsets.UTF_8);
    LlmEndpoint ep =
        new LlmEndpoint("gcp.gemini", "generate_content", "gemini-2.0-flash", true, null, false);
    for (int at = 0; at <= body.length; at++) {
      Map<String, Object> a =
          attributes(
              respond(
                  ep,
                  200,
                  headers("content-type", JSON),
                  body,
                  TestSupport.split(body.length, at)));
      assertThat(a)
          .containsEntry("gen_ai.response.model", "gemini-2.0-flash")
          .containsEntry("gen_ai.response.id", "r-1")
          .containsEntry("gen_ai.response.finish_reasons", List.of("STOP"))
          .containsEntry("gen_ai.usage.input_tokens", 9L)
          .containsEntry("gen_ai.usage.output_tokens", 4L)
          .containsEntry("gen_ai.request.stream", true);
    }
  }

  @Test
  void bedrockConverse() {
    assertThat(read("bedrock-converse.json", BEDROCK, 200, JSON))
        .containsEntry("gen_ai.request.model", "anthropic.claude-3-haiku")
        .containsEntry("gen_ai.response.finish_reasons", List.of("end_turn"))
        .containsEntry("gen_ai.usage.input_tokens", 262L)
        .containsEntry("gen_ai.usage.output_tokens", 9L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 200L)
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", 50L)
        .containsEntry("llm.hosting.provider", "aws")
        .containsEntry("llm.hosting.region", "us-east-1");
  }

  @Test
  void missingContentTypeIsSniffed() {
    byte[] sse = fixture("openai-chat-stream.sse");
    Map<String, Object> a =
        attributes(respond(OPENAI, 200, HeaderReader.NONE, sse, TestSupport.whole(sse.length)));
    assertThat(a).containsEntry("gen_ai.usage.input_tokens", 19L);
    byte[] json = fixture("openai-chat.json");
    a = attributes(respond(OPENAI, 200, HeaderReader.NONE, json, TestSupport.whole(json.length)));
    assertThat(a).containsEntry("gen_ai.usage.input_tokens", 1117L);
  }
}
