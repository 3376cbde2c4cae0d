package io.llmobserve.simulator;

import static io.llmobserve.simulator.TestHttp.anthropic;
import static io.llmobserve.simulator.TestHttp.chat;
import static io.llmobserve.simulator.TestHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangesAndDeterminismTest {

  @Test
  void exchangesAreGroundTruthOfWhatTheClientReceived() throws Exception {
    try (LlmSimulator sim = LlmSimulator.builder().seed(4).profile(Profile.fast()).start()) {
      String body = chat("gpt-4o", true, 6);
      HttpResponse<byte[]> r =
          post(
              sim,
              "/v1/chat/completions",
              body,
              "authorization",
              "Bearer sk-test",
              "x-stainless-lang",
              "java");
      List<Exchange> all = sim.exchanges();
      assertThat(all).hasSize(1);
      Exchange e = all.get(0);
      assertThat(e.sequence()).isZero();
      assertThat(e.provider()).isEqualTo("openai");
      assertThat(e.operation()).isEqualTo("chat");
      assertThat(e.route()).isEqualTo("/v1/chat/completions");
      assertThat(e.stream()).isTrue();
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.requestModel()).isEqualTo("gpt-4o");
      assertThat(e.responseModel()).isEqualTo("gpt-4o-2024-08-06");
      assertThat(e.requestId()).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
      assertThat(e.responseId()).startsWith("chatcmpl-");
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains(e.responseId());
      assertThat(e.inputTokens()).isEqualTo(15);
      assertThat(e.outputTokens()).isEqualTo(6);
      assertThat(e.finishReason()).isEqualTo("stop");
      assertThat(e.pop()).isEqualTo("SJC");
      assertThat(e.region()).isNull();
      assertThat(e.systemFingerprint()).isEqualTo("fp_07871e2ad8");
      assertThat(e.gzip()).isFalse();
      assertThat(e.responseBodySha256()).isEqualTo(TestHttp.sha256(r.body()));
      assertThat(e.wireBodySha256()).isEqualTo(e.responseBodySha256());
      assertThat(e.responseBodyBytes()).isEqualTo(r.body().length);
      assertThat(e.requestBodySha256())
          .isEqualTo(TestHttp.sha256(body.getBytes(StandardCharsets.UTF_8)));
      assertThat(e.requestHeaders())
          .containsEntry("authorization", "Bearer sk-test")
          .containsEntry("x-stainless-lang", "java");
      r.headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!name.equals("date")
                    && !name.equals("content-length")
                    && !name.equals("transfer-encoding")
                    && !name.equals(":status")) {
                  assertThat(e.responseHeaders()).as(name).containsEntry(name, values.get(0));
                }
              });
      assertThat(e.responseHeaders())
          .hasSize(r.headers().map().size() - 2); // all but date, transfer-encoding

      post(sim, "/v1/messages", anthropic("claude-sonnet-4-5", false, 2));
      assertThat(sim.exchanges()).extracting(Exchange::sequence).containsExactly(0L, 1L);
      sim.clearExchanges();
      assertThat(sim.exchanges()).isEmpty();
    }
  }

  private static List<String> run(long seed) throws Exception {
    List<String> out = new ArrayList<>();
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .seed(seed)
            .profile(Profile.fast().toBuilder().throttleRate(0.3).latencyJitter(0.5))
            .start()) {
      for (int i = 0; i < 6; i++) {
        HttpResponse<byte[]> a = post(sim, "/v1/chat/completions", chat("gpt-4o", i % 2 == 0, 5));
        HttpResponse<byte[]> b =
            post(sim, "/v1/messages", anthropic("claude-sonnet-4-5", i % 2 == 1, 5));
        HttpResponse<byte[]> c =
            post(
                sim,
                "/openai/deployments/gpt-4o-eastus2/chat/completions?api-version=x",
                chat("gpt-4o", true, 3));
        for (HttpResponse<byte[]> r : List.of(a, b, c)) {
          // Only "created" timestamps and dates are wall-clock; everything else must replay
          // exactly.
          String text =
              new String(r.body(), StandardCharsets.UTF_8).replaceAll("\"created(_at)?\":\\d+", "");
          out.add(
              r.statusCode()
                  + " "
                  + r.headers().firstValue("cf-ray").orElse("")
                  + " "
                  + r.headers().firstValue("apim-request-id").orElse("")
                  + " "
                  + text);
        }
      }
      for (Exchange e : sim.exchanges()) {
        out.add(e.plannedTtftMs() + "/" + e.plannedDurationMs() + "/" + e.requestId());
      }
    }
    return out;
  }

  @Test
  void sameSeedReplaysExactly() throws Exception {
    List<String> first = run(42);
    List<String> second = run(42);
    assertThat(second).isEqualTo(first);
    assertThat(first.stream().filter(s -> s.startsWith("429")).count())
        .isPositive(); // faults replay too
    assertThat(run(43)).isNotEqualTo(first);
  }
}
