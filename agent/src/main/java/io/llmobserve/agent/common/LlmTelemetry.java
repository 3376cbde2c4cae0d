package io.llmobserve.agent.common;

import io.llmobserve.providers.HeaderReader;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.providers.ProviderDetector;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Per class loader singletons (helpers are injected into each instrumented loader): the detector
 * built once from configuration, the tracer and the metrics.
 */
public final class LlmTelemetry {
  public static final String INSTRUMENTATION_SCOPE = "io.llmobserve.agent";

  private static final Logger logger = Logger.getLogger(LlmTelemetry.class.getName());
  private static volatile LlmTelemetry instance;

  final ProviderDetector detector;
  final boolean captureContent;
  final Tracer tracer;
  final LlmMetrics metrics;
  final AbandonWatch abandonWatch;
  final InFlightCalls inFlight;

  /**
   * http.client.request.duration for calls whose span replaces upstream's HTTP client span (see
   * {@link LlmExchange#startAsHttpClientSpan}).
   */
  final HttpClientCallMetrics httpMetrics;

  /**
   * False when the user turned upstream's span suppression off ({@link
   * LlmSettings#SPAN_SUPPRESSION_STRATEGY} {@code none}): upstream's HTTP span then stays under
   * ours, and it records the HTTP metric itself.
   */
  final boolean replacesHttpClientSpan;

  /**
   * Which span key upstream's suppression reads ({@link LlmSettings#upstreamSuppressesBySpanKind}):
   * the exchange's context stores ours under that key only, as upstream's own HTTP span would.
   */
  final boolean suppressionBySpanKind;

  /** Upstream's HTTP client header capture, for the spans of ours that replace its HTTP span. */
  final CapturedHttpHeaders capturedHeaders;

  /** The agent's propagators, for the hooks that write traceparent in upstream's place. */
  final ContextPropagators propagators;

  LlmTelemetry(
      ProviderDetector detector,
      boolean captureContent,
      OpenTelemetry otel,
      AbandonWatch abandonWatch) {
    this.detector = detector;
    this.abandonWatch = abandonWatch;
    this.captureContent = captureContent;
    this.tracer =
        otel.getTracer(
            INSTRUMENTATION_SCOPE,
            LlmTelemetry.class.getPackage() == null
                ? null
                : LlmTelemetry.class.getPackage().getImplementationVersion());
    this.metrics = new LlmMetrics(otel.getMeter(INSTRUMENTATION_SCOPE));
    this.inFlight = new InFlightCalls(otel.getMeter(INSTRUMENTATION_SCOPE));
    this.httpMetrics = new HttpClientCallMetrics(otel.getMeter(INSTRUMENTATION_SCOPE));
    this.replacesHttpClientSpan = LlmSettings.upstreamSuppressesNestedHttpClientSpans();
    this.suppressionBySpanKind = LlmSettings.upstreamSuppressesBySpanKind();
    this.capturedHeaders = CapturedHttpHeaders.fromSettings();
    this.propagators = otel.getPropagators();
  }

  public static LlmTelemetry get() {
    LlmTelemetry t = instance;
    if (t == null) {
      synchronized (LlmTelemetry.class) {
        t = instance;
        if (t == null) {
          t =
              new LlmTelemetry(
                  buildDetector(),
                  LlmSettings.captureContent(),
                  GlobalOpenTelemetry.get(),
                  AbandonWatch.shared());
          instance = t;
        }
      }
    }
    return t;
  }

  /** A telemetry not bound to the global instance (tests, benchmarks). */
  public static LlmTelemetry create(String endpoints, boolean captureContent, OpenTelemetry otel) {
    return create(endpoints, captureContent, otel, AbandonWatch.shared());
  }

  /** Same, with its own abandonment watch (tests with a short idle timeout). */
  public static LlmTelemetry create(
      String endpoints, boolean captureContent, OpenTelemetry otel, AbandonWatch abandonWatch) {
    return new LlmTelemetry(
        ProviderDetector.fromConfig(endpoints), captureContent, otel, abandonWatch);
  }

  static ProviderDetector buildDetector() {
    try {
      return ProviderDetector.fromConfig(LlmSettings.endpoints());
    } catch (Throwable t) {
      // without a detector nothing is an LLM call: the app keeps working, unobserved
      logger.log(
          Level.WARNING,
          "llm-observe: cannot build provider detector, LLM calls are not observed",
          t);
      return null;
    }
  }

  /** The endpoint when this request is an LLM call, else null. Never throws. */
  public LlmEndpoint detect(ServerUrl url, HeaderReader requestHeaders) {
    if (detector == null) {
      return null;
    }
    try {
      return detector.detect(url.scheme, url.host, url.rawPort, url.path, requestHeaders);
    } catch (Throwable t) {
      return null;
    }
  }
}
