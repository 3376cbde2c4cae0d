package io.llmobserve.agent.extension;

import io.llmobserve.agent.common.LlmTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Keeps ours the only gen_ai CLIENT span per call: a CLIENT span with a gen_ai provider/system
 * attribute from any other instrumentation scope (e.g. an SDK's own telemetry that found the
 * agent's GlobalOpenTelemetry, like anthropic-java) that wraps one of our LLM spans (same trace,
 * enclosing time interval) is exported as INTERNAL, with its attributes intact. Backends counting
 * "CLIENT spans with gen_ai.provider.name" then count each call once; a foreign span around a call
 * we did not observe stays CLIENT, so the call is still counted. Ours end first (they are inside),
 * so they are exported in an earlier batch or earlier in the same one. Spans are passed through
 * untouched otherwise (no copy on the common path).
 *
 * <p>The same holds for a foreign gen_ai CLIENT span in ANOTHER trace that names the provider
 * request id of one of ours ({@code aws.request_id} = {@code llm.request.id}): the AWS SDK's async
 * client keeps its span's context in execution attributes, so the request the agent observes on the
 * event loop carries none, and the two spans of one call meet only through that id.
 */
public final class GenAiClientSpanExporter implements SpanExporter {
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");

  private final SpanExporter delegate;
  static final AttributeKey<String> LLM_REQUEST_ID = AttributeKey.stringKey("llm.request.id");
  static final AttributeKey<String> AWS_REQUEST_ID = AttributeKey.stringKey("aws.request_id");

  /** Our 4096 most recent LLM spans: trace, interval, provider request id. */
  private final RecentLlmSpans ours = new RecentLlmSpans(4096);

  public GenAiClientSpanExporter(SpanExporter delegate) {
    this.delegate = delegate;
  }

  private static boolean isOurs(SpanData span) {
    return LlmTelemetry.INSTRUMENTATION_SCOPE.equals(span.getInstrumentationScopeInfo().getName());
  }

  private boolean isForeignGenAiClientSpanAroundOurs(SpanData span) {
    if (span.getKind() != SpanKind.CLIENT || isOurs(span)) {
      return false;
    }
    if (span.getAttributes().get(PROVIDER) == null && span.getAttributes().get(SYSTEM) == null) {
      return false;
    }
    String requestId = span.getAttributes().get(AWS_REQUEST_ID);
    if (requestId != null && ours.hasRequestId(requestId)) {
      return true;
    }
    return ours.enclosesOneOf(
        span.getTraceId(), span.getStartEpochNanos(), span.getEndEpochNanos());
  }

  synchronized Collection<SpanData> demoteForeign(Collection<SpanData> spans) {
    for (SpanData span : spans) {
      if (span.getKind() == SpanKind.CLIENT && isOurs(span)) {
        ours.add(
            span.getTraceId(),
            span.getStartEpochNanos(),
            span.getEndEpochNanos(),
            span.getAttributes().get(LLM_REQUEST_ID));
      }
    }
    List<SpanData> out = null;
    int i = 0;
    for (SpanData span : spans) {
      if (isForeignGenAiClientSpanAroundOurs(span)) {
        if (out == null) {
          out = new ArrayList<>(spans.size());
          int j = 0;
          for (SpanData earlier : spans) {
            if (j++ == i) {
              break;
            }
            out.add(earlier);
          }
        }
        out.add(new InternalKindSpanData(span));
      } else if (out != null) {
        out.add(span);
      }
      i++;
    }
    return out == null ? spans : out;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    Collection<SpanData> toExport;
    try {
      toExport = demoteForeign(spans);
    } catch (RuntimeException e) {
      toExport = spans;
    }
    return delegate.export(toExport);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "GenAiClientSpanExporter{" + delegate + "}";
  }

  static final class InternalKindSpanData extends DelegatingSpanData {
    InternalKindSpanData(SpanData delegate) {
      super(delegate);
    }

    @Override
    public SpanKind getKind() {
      return SpanKind.INTERNAL;
    }
  }
}
