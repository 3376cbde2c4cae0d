package io.llmobserve.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.llmobserve.providers.detect.Paths;
import java.lang.management.ManagementFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderDetectorTest {
  static final ProviderDetector NONE = ProviderDetector.fromConfig(null);

  @ParameterizedTest(name = "{0}://{1}:{2}{3} -> {4}/{5}")
  @CsvSource({
    "https, api.openai.com, -1, /v1/chat/completions, openai, chat",
    "https, api.openai.com, -1, /v1/completions, openai, text_completion",
    "https, api.openai.com, -1, /v1/embeddings, openai, embeddings",
    "https, api.openai.com, -1, /v1/responses, openai, chat",
    "https, myres.openai.azure.com, -1, /openai/deployments/gpt4o/chat/completions, azure.ai.openai, chat",
    "https, myres.openai.azure.com, -1, /openai/v1/chat/completions, azure.ai.openai, chat",
    "https, myres.cognitiveservices.azure.com, -1, /openai/deployments/emb/embeddings, azure.ai.openai, embeddings",
    "https, proj.services.ai.azure.com, -1, /models/chat/completions, azure.ai.openai, chat",
    "https, apim.corp.example, -1, /openai/deployments/gpt4o/chat/completions, azure.ai.openai, chat",
    "https, api.anthropic.com, -1, /v1/messages, anthropic, chat",
    "https, api.anthropic.com, -1, /v1/complete, anthropic, text_completion",
    "http, 127.0.0.1, 9999, /v1/messages, anthropic, chat",
    "https, generativelanguage.googleapis.com, -1, /v1beta/models/gemini-2.5-flash:generateContent, gcp.gemini, generate_content",
    "https, generativelanguage.googleapis.com, -1, /v1beta/models/gemini-2.5-flash:streamGenerateContent, gcp.gemini, generate_content",
    "https, generativelanguage.googleapis.com, -1, /v1beta/models/text-embedding-004:embedContent, gcp.gemini, embeddings",
    "https, generativelanguage.googleapis.com, -1, /v1beta/openai/chat/completions, gcp.gemini, chat",
    "https, us-central1-aiplatform.googleapis.com, -1, /v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent, gcp.vertex_ai, generate_content",
    "https, us-east5-aiplatform.googleapis.com, -1, /v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-3-5-sonnet@20240620:streamRawPredict, gcp.vertex_ai, chat",
    "https, api.mistral.ai, -1, /v1/chat/completions, mistral_ai, chat",
    "https, api.mistral.ai, -1, /v1/fim/completions, mistral_ai, text_completion",
    "https, api.deepseek.com, -1, /chat/completions, deepseek, chat",
    "https, api.groq.com, -1, /openai/v1/chat/completions, groq, chat",
    "https, api.x.ai, -1, /v1/chat/completions, x_ai, chat",
    "https, api.cohere.com, -1, /v2/chat, cohere, chat",
    "https, api.cohere.com, -1, /v2/embed, cohere, embeddings",
    "https, bedrock-runtime.us-east-1.amazonaws.com, -1, /model/anthropic.claude-3-haiku-20240307-v1%3A0/converse, aws.bedrock, chat",
    "https, bedrock-runtime.eu-west-3.amazonaws.com, -1, /model/amazon.nova-pro-v1:0/converse-stream, aws.bedrock, chat",
    "https, bedrock-runtime.us-west-2.amazonaws.com, -1, /model/meta.llama3-70b/invoke, aws.bedrock, chat",
    "https, bedrock-runtime.us-west-2.amazonaws.com, -1, /model/meta.llama3-70b/invoke-with-response-stream, aws.bedrock, chat",
    "http, localhost, 11434, /api/chat, ollama, chat",
    "http, localhost, 11434, /api/generate, ollama, text_completion",
    "http, localhost, 11434, /v1/chat/completions, ollama, chat",
    "http, gpu-box, 8080, /api/chat, ollama, chat",
    "http, vllm.internal, 8000, /v1/chat/completions, openai, chat",
    "http, 127.0.0.1, 8089, /openai/v1/responses, openai, chat",
  })
  void recognisesProviders(
      String scheme, String host, int port, String path, String provider, String op) {
    LlmEndpoint ep = NONE.detect(scheme, host, port, path, HeaderReader.NONE);
    assertThat(ep).isNotNull();
    assertThat(ep.provider).isEqualTo(provider);
    assertThat(ep.operation).isEqualTo(op);
    // the allocation-free pre-check every request passes first must let every LLM path through
    assertThat(Paths.mayBeOperation(path)).isTrue();
    String[] segments = path.substring(1).split("/", -1);
    assertThat(
            Paths.mayBeOperation(
                segments[0],
                URLDecoder.decode(segments[segments.length - 1], StandardCharsets.UTF_8)))
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "/",
    "/api/users/42",
    "/v1/models",
    "/health",
    "/_sim/health",
    "/v1/chat/completions/",
    "/chat/x",
    "/v1/orders/completion",
    "/static/app.js",
    "/api/embeds"
  })
  void preCheckRejectsOrdinaryPaths(String path) {
    assertThat(Paths.mayBeOperation(path)).isFalse();
    String[] segments = path.substring(1).split("/", -1);
    assertThat(Paths.mayBeOperation(segments[0], segments[segments.length - 1])).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "https, example.com, -1, /api/users",
    "https, example.com, -1, /",
    "https, example.com, -1, ''",
    "https, api.openai.com, -1, /v1/models",
    "https, api.openai.com, -1, /v1/files",
    "https, api.anthropic.com, -1, /v1/messages/batches",
    "https, myres.openai.azure.com, -1, /openai/deployments",
    "https, bedrock-runtime.us-east-1.amazonaws.com, -1, /guardrail/x/apply",
    "https, generativelanguage.googleapis.com, -1, /v1beta/models",
    "https, s3.amazonaws.com, -1, /bucket/key",
    "https, example.com, -1, /messages",
    "https, example.com, -1, /chat/completions",
  })
  void missesOrdinaryTraffic(String scheme, String host, int port, String path) {
    assertThat(NONE.detect(scheme, host, port, path, HeaderReader.NONE)).isNull();
  }

  @Test
  void anthropicVersionHeaderNamesAnthropic() {
    LlmEndpoint ep =
        NONE.detect(
            "https",
            "gateway.corp",
            -1,
            "/anthropic/messages",
            TestSupport.headers("anthropic-version", "2023-06-01"));
    assertThat(ep.provider).isEqualTo("anthropic");
  }

  @Test
  void pathModelStreamAndRegion() {
    LlmEndpoint b =
        NONE.detect(
            "https",
            "bedrock-runtime.us-east-1.amazonaws.com",
            -1,
            "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream",
            HeaderReader.NONE);
    assertThat(b.pathModel).isEqualTo("anthropic.claude-3-haiku-20240307-v1:0");
    assertThat(b.pathStream).isTrue();
    assertThat(b.hostRegion).isEqualTo("us-east-1");
    LlmEndpoint g =
        NONE.detect(
            "https",
            "generativelanguage.googleapis.com",
            -1,
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
            HeaderReader.NONE);
    assertThat(g.pathModel).isEqualTo("gemini-2.5-flash");
    assertThat(g.pathStream).isTrue();
    LlmEndpoint v =
        NONE.detect(
            "https",
            "europe-west4-aiplatform.googleapis.com",
            -1,
            "/v1/projects/p/locations/europe-west4/publishers/google/models/gemini-2.0-flash:generateContent",
            HeaderReader.NONE);
    assertThat(v.hostRegion).isEqualTo("europe-west4");
    assertThat(v.pathStream).isFalse();
    LlmEndpoint a =
        NONE.detect(
            "https",
            "myres.openai.azure.com",
            -1,
            "/openai/deployments/prod-gpt4o/chat/completions",
            HeaderReader.NONE);
    assertThat(a.pathModel).isEqualTo("prod-gpt4o");
    LlmEndpoint o = NONE.detect("http", "localhost", 11434, "/api/chat", HeaderReader.NONE);
    assertThat(o.selfHosted).isTrue();
    assertThat(
            NONE.detect("https", "api.openai.com", -1, "/v1/chat/completions", HeaderReader.NONE)
                .selfHosted)
        .isFalse();
  }

  @Test
  void customEndpointsLongestPrefixWins() {
    ProviderDetector d =
        ProviderDetector.fromConfig(
            " http://127.0.0.1:8089=openai , https://gw.corp/llm=my-gateway,https://gw.corp/llm/claude=claude-gw, bogus, =x, ftp://a=b,https://gw.corp:notaport=z");
    assertThat(d.malformedEntries())
        .containsExactly("bogus", "=x", "ftp://a=b", "https://gw.corp:notaport=z");
    assertThat(
            d.detect("http", "127.0.0.1", 8089, "/v1/chat/completions", HeaderReader.NONE).provider)
        .isEqualTo("openai");
    assertThat(d.detect("http", "127.0.0.1", 8089, "/v1/messages", HeaderReader.NONE).provider)
        .isEqualTo("openai");
    LlmEndpoint gw =
        d.detect("https", "gw.corp", -1, "/llm/v1/chat/completions", HeaderReader.NONE);
    assertThat(gw.provider).isEqualTo("my-gateway");
    assertThat(gw.operation).isEqualTo("chat");
    assertThat(
            d.detect("https", "gw.corp", 443, "/llm/claude/v1/messages", HeaderReader.NONE)
                .provider)
        .isEqualTo("claude-gw");
    assertThat(d.detect("https", "gw.corp", -1, "/llm/v1/embeddings", HeaderReader.NONE).operation)
        .isEqualTo("embeddings");
    // prefix must end at a segment; other port/scheme does not match (generic path shapes still
    // apply)
    assertThat(
            d.detect("https", "gw.corp", -1, "/llmx/v1/chat/completions", HeaderReader.NONE)
                .provider)
        .isEqualTo("openai");
    assertThat(
            d.detect("http", "gw.corp", -1, "/llm/v1/chat/completions", HeaderReader.NONE).provider)
        .isEqualTo("openai");
    assertThat(d.detect("https", "gw.corp", -1, "/llmx/chat", HeaderReader.NONE)).isNull();
    assertThat(
            d.detect("http", "127.0.0.1", 8090, "/v1/chat/completions", HeaderReader.NONE).provider)
        .isEqualTo("openai");
    // a configured endpoint still needs an inference path
    assertThat(d.detect("https", "gw.corp", -1, "/llm/health", HeaderReader.NONE)).isNull();
  }

  @Test
  void neverThrows() {
    assertThat(NONE.detect(null, null, 0, null, null)).isNull();
    assertThat(NONE.detect("https", "api.openai.com", -1, null, null)).isNull();
    assertThat(NONE.detect("https", "x", -1, "/v1/messages", null).provider).isEqualTo("anthropic");
    HeaderReader throwing =
        name -> {
          throw new IllegalStateException();
        };
    assertThat(NONE.detect("https", "x", -1, "/openai/messages", throwing)).isNull();
    assertThat(
            NONE.detect(
                    "https", "api.openai.com", -1, "/v1/chat/completions?x=1", HeaderReader.NONE)
                .operation)
        .isEqualTo("chat");
  }

  @Test
  void missPathDoesNotAllocate() {
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    ProviderDetector d =
        ProviderDetector.fromConfig("http://127.0.0.1:8089=openai,https://gw.corp/llm=gw");
    String host = "example.com";
    String path = "/api/users/42";
    int misses = 0;
    for (int i = 0; i < 20_000; i++) { // warm up (JIT, String hash caching)
      misses += d.detect("https", host, -1, path, HeaderReader.NONE) == null ? 1 : 0;
    }
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100_000; i++) {
      misses += d.detect("https", host, -1, path, HeaderReader.NONE) == null ? 1 : 0;
    }
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertThat(misses).isEqualTo(120_000);
    assertThat(allocated).as("bytes allocated by 100k misses").isLessThan(64 * 1024);
  }
}
