package io.llmobserve.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.agent.common.LlmTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenAiClientSpanExporterTest {
  @Test
  void onlyOurGenAiClientSpanStaysClient() {
    InMemorySpanExporter sink = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(new GenAiClientSpanExporter(sink)))
                    .build())
            .build()) {
      // an SDK's own gen_ai CLIENT span around our span and upstream's HTTP span
      Span sdkSpan =
          sdk.getTracer("com.anthropic.sdk")
              .spanBuilder("chat claude")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.provider.name", "anthropic")
              .startSpan();
      Context inSdk = Context.root().with(sdkSpan);
      // an older-convention wrapper (gen_ai.system) around the same call
      Span legacy =
          sdk.getTracer("other")
              .spanBuilder("chat")
              .setParent(inSdk)
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.system", "openai")
              .startSpan();
      Span ours =
          sdk.getTracer(LlmTelemetry.INSTRUMENTATION_SCOPE)
              .spanBuilder("chat claude")
              .setParent(inSdk)
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.provider.name", "anthropic")
              .startSpan();
      Span http =
          sdk.getTracer("io.opentelemetry.okhttp-3.0")
              .spanBuilder("POST")
              .setParent(inSdk.with(ours))
              .setSpanKind(SpanKind.CLIENT)
              .startSpan();
      // a call we did not observe (another trace): its SDK span must stay countable
      Span unobserved =
          sdk.getTracer("com.anthropic.sdk")
              .spanBuilder("chat claude")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.provider.name", "anthropic")
              .startSpan();
      http.end();
      ours.end();
      sdkSpan.end();
      legacy.end();
      unobserved.end();
      spans = sink.getFinishedSpanItems(); // before close: shutdown clears the exporter
    }
    assertThat(spans)
        .extracting(s -> s.getInstrumentationScopeInfo().getName() + ":" + s.getKind())
        .containsExactly(
            "io.opentelemetry.okhttp-3.0:CLIENT",
            LlmTelemetry.INSTRUMENTATION_SCOPE + ":CLIENT",
            "com.anthropic.sdk:INTERNAL",
            "other:INTERNAL",
            "com.anthropic.sdk:CLIENT");
    assertThat(spans.get(2).getAttributes().get(GenAiClientSpanExporter.PROVIDER))
        .isEqualTo("anthropic");
  }

  @Test
  void anAwsSdkSpanInAnotherTraceNamingOurRequestIdIsDemoted() {
    InMemorySpanExporter sink = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(new GenAiClientSpanExporter(sink)))
                    .build())
            .build()) {
      // the async AWS SDK: its span and ours are in different traces, linked by the request id
      Span ours =
          sdk.getTracer(LlmTelemetry.INSTRUMENTATION_SCOPE)
              .spanBuilder("chat nova")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.provider.name", "aws.bedrock")
              .setAttribute("llm.request.id", "req-1")
              .startSpan();
      Span aws =
          sdk.getTracer("io.opentelemetry.aws-sdk-2.2")
              .spanBuilder("BedrockRuntime.Converse")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.provider.name", "aws.bedrock")
              .setAttribute("aws.request_id", "req-1")
              .startSpan();
      // another call's SDK span (a request id we never saw) stays countable
      Span other =
          sdk.getTracer("io.opentelemetry.aws-sdk-2.2")
              .spanBuilder("BedrockRuntime.Converse")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute("gen_ai.provider.name", "aws.bedrock")
              .setAttribute("aws.request_id", "req-2")
              .startSpan();
      ours.end();
      aws.end();
      other.end();
      spans = sink.getFinishedSpanItems();
    }
    assertThat(spans)
        .extracting(s -> s.getInstrumentationScopeInfo().getName() + ":" + s.getKind())
        .containsExactly(
            LlmTelemetry.INSTRUMENTATION_SCOPE + ":CLIENT",
            "io.opentelemetry.aws-sdk-2.2:INTERNAL",
            "io.opentelemetry.aws-sdk-2.2:CLIENT");
  }

  @Test
  void openAiInstrumentationIsOffByDefaultUnderItsLastName() {
    assertThat(LlmAgentCustomizer.defaultProperties())
        .containsEntry("otel.instrumentation.openai.enabled", "false")
        .doesNotContainKey("otel.instrumentation.openai-java.enabled");
  }
}
