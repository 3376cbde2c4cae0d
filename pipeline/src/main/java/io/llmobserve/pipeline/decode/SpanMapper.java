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
    Value value = null;
    for (KeyValue kv : span.getAttributesList()) {
      String k = kv.getKey();
      if (!relevant(k)) {
        continue;
      }
      if (s == null) {
        s = new LlmSpan();
        value = new Value();
      }
      value.set(kv.getValue());
      genai |= apply(s, k, value);
    }
    return finish(
        s,
        genai,
        service,
        span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT,
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
        skip);
  }

  /** The attribute namespaces a call is read from; every other attribute is skipped unread. */
  static boolean relevant(String k) {
    return k.startsWith("gen_ai.")
        || k.startsWith("llm.")
        || k.startsWith("server.")
        || k.startsWith("http.")
        || k.startsWith("error.")
        || k.startsWith("openai.");
  }

  /**
   * An attribute value, whichever decoder read it (protobuf objects or {@link WireSpanDecoder}):
   * its kind and, for that kind, its value; array elements as their string values ("" for the
   * others), which is all the call's attributes use.
   */
  static final class Value {
    enum Kind {
      STRING,
      BOOL,
      INT,
      DOUBLE,
      ARRAY,
      OTHER
    }

    Kind kind = Kind.OTHER;
    String string;
    boolean bool;
    long integer;
    double dbl;
    final java.util.List<String> elements = new java.util.ArrayList<>();

    void set(AnyValue v) {
      switch (v.getValueCase()) {
        case STRING_VALUE -> string(v.getStringValue());
        case BOOL_VALUE -> bool(v.getBoolValue());
        case INT_VALUE -> integer(v.getIntValue());
        case DOUBLE_VALUE -> dbl(v.getDoubleValue());
        case ARRAY_VALUE -> {
          array();
          for (AnyValue e : v.getArrayValue().getValuesList()) {
            elements.add(e.getStringValue());
          }
        }
        default -> other();
      }
    }

    void string(String s) {
      kind = Kind.STRING;
      string = s;
    }

    void bool(boolean b) {
      kind = Kind.BOOL;
      bool = b;
    }

    void integer(long i) {
      kind = Kind.INT;
      integer = i;
    }

    void dbl(double d) {
      kind = Kind.DOUBLE;
      dbl = d;
    }

    void array() {
      kind = Kind.ARRAY;
      elements.clear();
    }

    void other() {
      kind = Kind.OTHER;
    }

    /** AnyValue.getStringValue(): "" unless a string. */
    String stringValue() {
      return kind == Kind.STRING ? string : "";
    }
  }

  /**
   * Applies one attribute (key in a {@link #relevant} namespace) to the call.
   *
   * @return whether the attribute marks a gen_ai span
   */
  static boolean apply(LlmSpan s, String k, Value v) {
    switch (k) {
      case "gen_ai.provider.name" -> {
        s.provider = str(v);
        return true;
      }
      case "gen_ai.system" -> { // pre-1.37 semconv name, used when provider.name is absent
        if (s.provider == null) {
          s.provider = str(v);
        }
        return true;
      }
      case "gen_ai.operation.name" -> s.operation = str(v);
      case "gen_ai.request.model" -> s.requestModel = str(v);
      case "gen_ai.response.model" -> s.responseModel = str(v);
      case "gen_ai.request.stream" ->
          s.stream = (v.kind == Value.Kind.BOOL && v.bool) || "true".equals(v.stringValue());
      case "gen_ai.usage.input_tokens" -> s.inputTokens = lng(v);
      case "gen_ai.usage.output_tokens" -> s.outputTokens = lng(v);
      case "gen_ai.usage.cache_read.input_tokens" -> s.cacheReadTokens = lng(v);
      case "gen_ai.usage.cache_creation.input_tokens" -> s.cacheCreationTokens = lng(v);
      case "gen_ai.usage.reasoning.output_tokens" -> s.reasoningTokens = lng(v);
      case "llm.usage.estimated" -> {
        if (v.kind == Value.Kind.ARRAY) {
          for (String e : v.elements) {
            s.inputTokensEstimated |= "input".equals(e);
            s.outputTokensEstimated |= "output".equals(e);
          }
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
        return k.startsWith("gen_ai.");
      }
    }
    return false;
  }

  /**
   * The call once every attribute is applied, or null with {@code skip[0]} set.
   *
   * @param s null when the span had no attribute in a relevant namespace
   */
  static LlmSpan finish(
      LlmSpan s,
      boolean genai,
      String service,
      boolean client,
      long startNanos,
      long endNanos,
      boolean statusError,
      Skip[] skip) {
    if (!genai) {
      skip[0] = Skip.NOT_GENAI;
      return null;
    }
    // INTERNAL gen_ai spans are other instrumentations' wrappers, not calls (DESIGN.md).
    if (!client) {
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
    s.startEpochNanos = startNanos;
    s.endEpochNanos = endNanos;
    s.durationSeconds = (s.endEpochNanos - s.startEpochNanos) / 1e9;
    s.outcome = outcome(s.statusCode, s.errorType, statusError);
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

  private static String str(Value v) {
    return switch (v.kind) {
      case STRING -> v.string;
      case INT -> Long.toString(v.integer);
      case DOUBLE -> Double.toString(v.dbl);
      case BOOL -> Boolean.toString(v.bool);
      default -> null;
    };
  }

  private static long lng(Value v) {
    return switch (v.kind) {
      case INT -> v.integer;
      // (long) NaN is 0 and (long) Inf is Long.MAX_VALUE: neither may reach a counter.
      case DOUBLE -> Double.isFinite(v.dbl) ? (long) v.dbl : INVALID;
      case STRING -> parseLong(v.string);
      default -> -1;
    };
  }

  private static double dbl(Value v) {
    return switch (v.kind) {
      case DOUBLE -> v.dbl;
      case INT -> v.integer;
      case STRING -> parseDouble(v.string);
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
