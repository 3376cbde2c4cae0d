package io.llmobserve.pipeline.decode;

import io.llmobserve.pipeline.model.LlmSpan;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Locale;

/**
 * One OTLP span to an {@link LlmSpan} (one pass over the attributes), or null when the span is not
 * an LLM call. Pure and stateless so it is unit-testable and reusable by the benchmark.
 */
public final class SpanMapper {
  private SpanMapper() {}

  /** A count attribute that is present but not a finite number (NaN, Inf, garbage text). */
  public static final long INVALID = Long.MIN_VALUE;

  /** Why a span was not turned into a call. */
  public enum Skip {
    NOT_GENAI("not_genai"),
    NOT_CLIENT("genai_not_client");

    public final String reason;

    Skip(String reason) {
      this.reason = reason;
    }
  }

  /**
   * @return the call, or null with {@code skip[0]} set
   */
  public static LlmSpan map(Span span, String service, Skip[] skip) {
    boolean genai = false;
    LlmSpan s = null;
    for (KeyValue kv : span.getAttributesList()) {
      String k = kv.getKey();
      if (!k.startsWith("gen_ai.")
          && !k.startsWith("llm.")
          && !k.startsWith("server.")
          && !k.startsWith("http.")
          && !k.startsWith("error.")
          && !k.startsWith("openai.")) {
        continue;
      }
      if (s == null) {
        s = new LlmSpan();
      }
      AnyValue v = kv.getValue();
      switch (k) {
        case "gen_ai.provider.name" -> {
          s.provider = str(v);
          genai = true;
        }
        case "gen_ai.system" -> { // pre-1.37 semconv name, used when provider.name is absent
          if (s.provider == null) {
            s.provider = str(v);
          }
          genai = true;
        }
        case "gen_ai.operation.name" -> s.operation = str(v);
        case "gen_ai.request.model" -> s.requestModel = str(v);
        case "gen_ai.response.model" -> s.responseModel = str(v);
        case "gen_ai.request.stream" ->
            s.stream = v.getBoolValue() || "true".equals(v.getStringValue());
        case "gen_ai.usage.input_tokens" -> s.inputTokens = lng(v);
        case "gen_ai.usage.output_tokens" -> s.outputTokens = lng(v);
        case "gen_ai.usage.cache_read.input_tokens" -> s.cacheReadTokens = lng(v);
        case "gen_ai.usage.cache_creation.input_tokens" -> s.cacheCreationTokens = lng(v);
        case "gen_ai.usage.reasoning.output_tokens" -> s.reasoningTokens = lng(v);
        case "llm.usage.estimated" -> {
          for (AnyValue e : v.getArrayValue().getValuesList()) {
            s.inputTokensEstimated |= "input".equals(e.getStringValue());
            s.outputTokensEstimated |= "output".equals(e.getStringValue());
          }
        }
        case "gen_ai.response.time_to_first_chunk" -> s.ttftSeconds = dbl(v);
        case "server.address" -> s.serverAddress = str(v);
        case "http.response.status_code" -> {
          long code = lng(v);
          s.statusCode = code >= 100 && code <= 999 ? (int) code : -1;
        }
        case "error.type" -> s.errorType = str(v);
        case "openai.response.system_fingerprint" -> s.systemFingerprint = str(v);
        case "llm.hosting.provider" -> s.hostingProvider = str(v);
        case "llm.hosting.region" -> s.region = str(v);
        case "llm.edge.pop" -> s.edgePop = str(v);
        case "llm.server.processing_time" -> s.serverProcessingSeconds = dbl(v);
        case "llm.ratelimit.remaining_tokens" -> s.remainingTokens = lng(v);
        case "llm.ratelimit.remaining_requests" -> s.remainingRequests = lng(v);
        case "llm.ratelimit.limit_tokens" -> s.limitTokens = lng(v);
        default -> {
          if (k.startsWith("gen_ai.")) {
            genai = true;
          }
        }
      }
    }
    if (!genai) {
      skip[0] = Skip.NOT_GENAI;
      return null;
    }
    // INTERNAL gen_ai spans are other instrumentations' wrappers, not calls (DESIGN.md).
    if (span.getKind() != Span.SpanKind.SPAN_KIND_CLIENT) {
      skip[0] = Skip.NOT_CLIENT;
      return null;
    }
    s.service = service == null || service.isEmpty() ? "unknown_service" : service;
    s.model =
        nonEmpty(s.responseModel)
            ? s.responseModel
            : nonEmpty(s.requestModel) ? s.requestModel : "unknown";
    if (!nonEmpty(s.region)) {
      s.region = "unknown";
    }
    if (!nonEmpty(s.operation)) {
      s.operation = "unknown";
    }
    s.startEpochNanos = span.getStartTimeUnixNano();
    s.endEpochNanos = span.getEndTimeUnixNano();
    s.durationSeconds = (s.endEpochNanos - s.startEpochNanos) / 1e9;
    s.outcome =
        outcome(
            s.statusCode,
            s.errorType,
            span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);
    return s;
  }

  /** throttled (429 or a rate-limit error), error (>= 400, error.type, span status), ok. */
  public static String outcome(int status, String errorType, boolean spanError) {
    if (status == 429) {
      return "throttled";
    }
    if (errorType != null) {
      String e = errorType.toLowerCase(Locale.ROOT);
      if (e.contains("rate") && e.contains("limit") || e.equals("429") || e.contains("throttl")) {
        return "throttled";
      }
      return "error";
    }
    if (status >= 400 || spanError) {
      return "error";
    }
    return "ok";
  }

  private static boolean nonEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String str(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      default -> null;
    };
  }

  private static long lng(AnyValue v) {
    return switch (v.getValueCase()) {
      case INT_VALUE -> v.getIntValue();
      // (long) NaN is 0 and (long) Inf is Long.MAX_VALUE: neither may reach a counter.
      case DOUBLE_VALUE ->
          Double.isFinite(v.getDoubleValue()) ? (long) v.getDoubleValue() : INVALID;
      case STRING_VALUE -> parseLong(v.getStringValue());
      default -> -1;
    };
  }

  private static double dbl(AnyValue v) {
    return switch (v.getValueCase()) {
      case DOUBLE_VALUE -> v.getDoubleValue();
      case INT_VALUE -> v.getIntValue();
      case STRING_VALUE -> parseDouble(v.getStringValue());
      default -> Double.NaN;
    };
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return s.isBlank() ? -1 : INVALID;
    }
  }

  private static double parseDouble(String s) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
