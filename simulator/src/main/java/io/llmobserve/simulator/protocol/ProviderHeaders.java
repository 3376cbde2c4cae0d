package io.llmobserve.simulator.protocol;

import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Ids;
import io.llmobserve.simulator.engine.Outcome;
import io.llmobserve.simulator.engine.RateLimitBook;
import io.llmobserve.simulator.engine.Route;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The response headers each provider really sends (names lower-case, as HTTP/2 carries them). */
final class ProviderHeaders {
  private ProviderHeaders() {}

  static void openAi(Reply reply, CallPlan plan) {
    var r = plan.random();
    reply.requestId = "req_" + Ids.hex(r, 32);
    String ray = Ids.hex(r, 16);
    RateLimitBook.Snapshot rl = plan.rateLimit();
    reply
        .header("openai-organization", plan.persona().organization())
        .header("openai-processing-ms", plan.processingMs())
        .header("openai-project", "proj_LlmObserveSimulator00000")
        .header("openai-version", "2020-10-01")
        .header("x-ratelimit-limit-requests", rl.limitRequests())
        .header("x-ratelimit-limit-tokens", rl.limitTokens())
        .header("x-ratelimit-remaining-requests", rl.remainingRequests())
        .header("x-ratelimit-remaining-tokens", rl.remainingTokens())
        .header("x-ratelimit-reset-requests", goDuration(rl.resetRequestsMs()))
        .header("x-ratelimit-reset-tokens", goDuration(rl.resetTokensMs()))
        .header("x-request-id", reply.requestId);
    if (plan.persona().emitsRegionHeader() && plan.region() != null) {
      reply.header("x-ms-region", plan.region());
    }
    reply
        .header("strict-transport-security", "max-age=31536000; includeSubDomains; preload")
        .header("cf-cache-status", "DYNAMIC")
        .header("x-content-type-options", "nosniff");
    edge(reply, plan, ray);
    retryAfter(reply, plan);
  }

  static void azure(Reply reply, CallPlan plan) {
    var r = plan.random();
    String apim = Ids.uuid(r);
    String xRequestId = Ids.uuid(r);
    String ray = Ids.hex(r, 16);
    reply.requestId = apim;
    RateLimitBook.Snapshot rl = plan.rateLimit();
    reply
        .header("apim-request-id", apim)
        .header("x-request-id", xRequestId)
        .header("x-ms-region", plan.region())
        .header("x-ms-deployment-name", plan.deployment())
        .header("azureml-model-session", "d" + (100 + r.nextInt(900)) + "-20250916201456")
        .header("x-ms-rai-invoked", "true")
        .header("x-envoy-upstream-service-time", plan.processingMs() + 3)
        .header("x-ratelimit-limit-requests", rl.limitRequests())
        .header("x-ratelimit-limit-tokens", rl.limitTokens())
        .header("x-ratelimit-remaining-requests", rl.remainingRequests())
        .header("x-ratelimit-remaining-tokens", rl.remainingTokens())
        .header("x-content-type-options", "nosniff")
        .header("strict-transport-security", "max-age=31536000; includeSubDomains; preload");
    if (plan.pop() != null) {
      edge(reply, plan, ray);
    }
    if (plan.outcome() == Outcome.THROTTLED) {
      reply.header("retry-after-ms", plan.retryAfterSeconds() * 1000L);
    }
    retryAfter(reply, plan);
  }

  static void anthropic(Reply reply, CallPlan plan) {
    var r = plan.random();
    reply.requestId = "req_011C" + Ids.base58(r, 20);
    String ray = Ids.hex(r, 16);
    RateLimitBook.Snapshot rl = plan.rateLimit();
    Instant now = Instant.ofEpochSecond(plan.createdEpochSeconds());
    String resetRequests =
        now.plus(Math.max(1, rl.resetRequestsMs() / 1000), ChronoUnit.SECONDS).toString();
    String resetTokens =
        now.plus(Math.max(1, rl.resetTokensMs() / 1000), ChronoUnit.SECONDS).toString();
    long outputLimit = rl.limitTokens() / 5;
    long outputRemaining = rl.remainingTokens() / 5;
    reply
        .header("anthropic-ratelimit-requests-limit", rl.limitRequests())
        .header("anthropic-ratelimit-requests-remaining", rl.remainingRequests())
        .header("anthropic-ratelimit-requests-reset", resetRequests)
        .header("anthropic-ratelimit-input-tokens-limit", rl.limitTokens())
        .header("anthropic-ratelimit-input-tokens-remaining", rl.remainingTokens())
        .header("anthropic-ratelimit-input-tokens-reset", resetTokens)
        .header("anthropic-ratelimit-output-tokens-limit", outputLimit)
        .header("anthropic-ratelimit-output-tokens-remaining", outputRemaining)
        .header("anthropic-ratelimit-output-tokens-reset", resetTokens)
        .header("anthropic-ratelimit-tokens-limit", rl.limitTokens() + outputLimit)
        .header("anthropic-ratelimit-tokens-remaining", rl.remainingTokens() + outputRemaining)
        .header("anthropic-ratelimit-tokens-reset", resetTokens)
        .header("request-id", reply.requestId)
        .header("strict-transport-security", "max-age=31536000; includeSubDomains; preload")
        .header("anthropic-organization-id", plan.persona().organization())
        .header("via", "1.1 google")
        .header("cf-cache-status", "DYNAMIC")
        .header("x-robots-tag", "none")
        .header("x-envoy-upstream-service-time", plan.processingMs());
    edge(reply, plan, ray);
    retryAfter(reply, plan);
  }

  static void gemini(Reply reply, CallPlan plan) {
    reply
        .header("vary", "Origin, X-Origin, Referer")
        .header("server", "scaffolding on HTTPServer2")
        .header("x-xss-protection", "0")
        .header("x-frame-options", "SAMEORIGIN")
        .header("x-content-type-options", "nosniff")
        .header("server-timing", "gfet4t7; dur=" + plan.processingMs())
        .header("alt-svc", "h3=\":443\"; ma=2592000,h3-29=\":443\"; ma=2592000");
  }

  static void bedrock(Reply reply, CallPlan plan) {
    reply.requestId = Ids.uuid(plan.random());
    reply.header("x-amzn-requestid", reply.requestId);
    Route route = plan.route();
    if (plan.outcome() == Outcome.OK
        && (route == Route.BEDROCK_INVOKE || route == Route.BEDROCK_INVOKE_STREAM)) {
      // InvokeModel reports latency and token counts in headers (non-streamed only; streams put
      // them in metrics).
      if (route == Route.BEDROCK_INVOKE) {
        long uncached = plan.promptTokens() - plan.cacheReadTokens() - plan.cacheCreationTokens();
        reply
            .header("x-amzn-bedrock-invocation-latency", plan.processingMs())
            .header("x-amzn-bedrock-output-token-count", plan.outputTokens())
            .header("x-amzn-bedrock-input-token-count", uncached);
        if (plan.cacheReadTokens() > 0) {
          reply.header("x-amzn-bedrock-cache-read-input-token-count", plan.cacheReadTokens());
        }
        if (plan.cacheCreationTokens() > 0) {
          reply.header("x-amzn-bedrock-cache-write-input-token-count", plan.cacheCreationTokens());
        }
      }
    }
  }

  private static void edge(Reply reply, CallPlan plan, String ray) {
    reply.header("server", "cloudflare");
    if (plan.pop() != null) {
      reply.header("cf-ray", ray + "-" + plan.pop());
    }
  }

  private static void retryAfter(Reply reply, CallPlan plan) {
    if (plan.outcome() == Outcome.THROTTLED || reply.status == 503 || reply.status == 529) {
      reply.header("retry-after", plan.retryAfterSeconds());
    }
  }

  /** Go-style durations as OpenAI sends them: "6ms", "1.5s", "2m3s". */
  static String goDuration(long ms) {
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      long s = ms / 1000;
      long rest = ms % 1000;
      return rest == 0
          ? s + "s"
          : s + "." + String.format("%03d", rest).replaceAll("0+$", "") + "s";
    }
    long m = ms / 60_000;
    long s = (ms % 60_000) / 1000;
    return m + "m" + s + "s";
  }
}
