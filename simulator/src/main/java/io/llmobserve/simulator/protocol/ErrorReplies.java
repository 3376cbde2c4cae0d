package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Outcome;
import java.nio.charset.StandardCharsets;

/** Provider-shaped error bodies and headers (OpenAI, Azure OpenAI, Anthropic). */
public final class ErrorReplies {
  private static final String JSON = "application/json";

  private ErrorReplies() {}

  /** 429 or 5xx for a planned fault. */
  public static Reply fault(CallPlan plan) {
    boolean throttled = plan.outcome() == Outcome.THROTTLED;
    int status = throttled ? 429 : plan.errorStatus();
    String provider = plan.route().provider();
    Reply reply = new Reply(status, JSON, false);
    headers(reply, plan);
    ObjectNode body;
    if (provider.equals("gemini")) {
      String status1 =
          throttled ? "RESOURCE_EXHAUSTED" : (status == 503 ? "UNAVAILABLE" : "INTERNAL");
      String message =
          throttled
              ? "Resource has been exhausted (e.g. check quota)."
              : (status == 503
                  ? "The model is overloaded. Please try again later."
                  : "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
      body = geminiBody(status, message, status1);
      reply.errorType = status1;
    } else if (provider.equals("bedrock")) {
      String type =
          throttled
              ? "ThrottlingException"
              : (status == 503 ? "ServiceUnavailableException" : "InternalServerException");
      String message =
          throttled
              ? "Too many requests, please wait before trying again."
              : (status == 503
                  ? "Bedrock is unable to process your request."
                  : "The server encountered an internal error while processing the request.");
      body = Json.object().put("message", message);
      reply.header(
          "x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
      reply.errorType = type;
    } else if (provider.equals("ollama")) {
      String message =
          throttled || status == 503
              ? "server busy, please try again.  maximum pending requests exceeded"
              : "llama runner process has terminated: exit status 2";
      body = Json.object().put("error", message);
      reply.errorType = throttled ? "busy" : "server_error";
    } else if (provider.equals("anthropic")) {
      String type;
      String message;
      if (throttled) {
        type = "rate_limit_error";
        message =
            "This request would exceed the rate limit for your organization of "
                + plan.rateLimit().limitTokens()
                + " input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.";
      } else if (status == 529) {
        type = "overloaded_error";
        message = "Overloaded";
      } else {
        type = "api_error";
        message = "Internal server error";
      }
      body = anthropicBody(type, message, reply.requestId);
      reply.errorType = type;
    } else if (throttled && provider.equals("azure")) {
      body = Json.object();
      ObjectNode err = body.putObject("error");
      err.put("code", "429");
      err.put(
          "message",
          "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version "
              + "2024-10-21 have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after "
              + plan.retryAfterSeconds()
              + " seconds. Please contact Azure support service if you would like to "
              + "further increase the default rate limit.");
      reply.errorType = "429";
    } else if (throttled) {
      String model = plan.requestModel() == null ? "this model" : plan.requestModel();
      body =
          openAiBody(
              "Rate limit reached for "
                  + model
                  + " in organization org-LlmObserveSim on tokens per min "
                  + "(TPM): Limit "
                  + plan.rateLimit().limitTokens()
                  + ", Used "
                  + plan.rateLimit().limitTokens()
                  + ", Requested "
                  + (plan.promptTokens() + plan.outputTokens())
                  + ". Please try again in "
                  + plan.retryAfterSeconds()
                  + "s. Visit https://platform.openai.com/account/rate-limits to learn more.",
              "tokens",
              "rate_limit_exceeded");
      reply.errorType = "rate_limit_exceeded";
    } else if (status == 503) {
      body =
          openAiBody(
              "The engine is currently overloaded, please try again later.", "server_error", null);
      reply.errorType = "server_error";
    } else {
      body =
          openAiBody(
              "The server had an error while processing your request. Sorry about that!",
              "server_error",
              null);
      reply.errorType = "server_error";
    }
    long delay =
        (throttled ? plan.throttleDelayMs() : plan.latencyMs())
            + plan.persona().extraNetworkMillis();
    reply.segments.add(new Reply.Segment(delay, Json.bytes(body)));
    return reply;
  }

  /** 400 for a body the provider would reject. */
  public static Reply badRequest(CallPlan plan, String message, String param) {
    Reply reply = new Reply(400, JSON, false);
    headers(reply, plan);
    ObjectNode body;
    String provider = plan.route().provider();
    if (provider.equals("anthropic")) {
      body = anthropicBody("invalid_request_error", message, reply.requestId);
    } else if (provider.equals("gemini")) {
      body = geminiBody(400, message, "INVALID_ARGUMENT");
    } else if (provider.equals("bedrock")) {
      body = Json.object().put("message", message);
      reply.header(
          "x-amzn-errortype",
          "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    } else if (provider.equals("ollama")) {
      body = Json.object().put("error", message);
    } else {
      body = openAiBody(message, "invalid_request_error", null);
      ((ObjectNode) body.get("error")).put("param", param);
    }
    reply.errorType = "invalid_request_error";
    reply.segments.add(new Reply.Segment(Math.min(plan.latencyMs(), 20), Json.bytes(body)));
    return reply;
  }

  /** 404 / 405 outside any provider route (OpenAI shape). */
  public static byte[] notFound(String method, String path) {
    return Json.write(
            openAiBody("Invalid URL (" + method + " " + path + ")", "invalid_request_error", null))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void headers(Reply reply, CallPlan plan) {
    switch (plan.route().provider()) {
      case "anthropic" -> ProviderHeaders.anthropic(reply, plan);
      case "azure" -> ProviderHeaders.azure(reply, plan);
      case "gemini" -> ProviderHeaders.gemini(reply, plan);
      case "bedrock" -> ProviderHeaders.bedrock(reply, plan);
      case "ollama" -> {}
      default -> ProviderHeaders.openAi(reply, plan);
    }
  }

  static ObjectNode openAiBody(String message, String type, String code) {
    ObjectNode body = Json.object();
    ObjectNode err = body.putObject("error");
    err.put("message", message);
    err.put("type", type);
    err.putNull("param");
    if (code == null) {
      err.putNull("code");
    } else {
      err.put("code", code);
    }
    return body;
  }

  private static ObjectNode geminiBody(int code, String message, String status) {
    ObjectNode body = Json.object();
    ObjectNode err = body.putObject("error");
    err.put("code", code);
    err.put("message", message);
    err.put("status", status);
    return body;
  }

  private static ObjectNode anthropicBody(String type, String message, String requestId) {
    ObjectNode body = Json.object();
    body.put("type", "error");
    ObjectNode err = body.putObject("error");
    err.put("type", type);
    err.put("message", message);
    body.put("request_id", requestId);
    return body;
  }
}
