package io.llmobserve.agent.common;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** A real SDK with in-memory exporters, and an {@link LlmTelemetry} bound to it. */
public final class TestTelemetry implements AutoCloseable {
  public static final String ENDPOINTS = "http://llm.test:8000/v1=test-llm";

  public final InMemorySpanExporter spans = InMemorySpanExporter.create();
  public final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  public final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .build();
  public final LlmTelemetry telemetry;

  public TestTelemetry() {
    this(AbandonWatch.shared());
  }

  /** With its own abandon watch (e.g. a short idle timeout). */
  public TestTelemetry(AbandonWatch watch) {
    telemetry = LlmTelemetry.create(ENDPOINTS, false, sdk, watch);
  }

  public static ServerUrl chatUrl() {
    return new ServerUrl(
        "http",
        "llm.test",
        8000,
        "/v1/chat/completions",
        "http://llm.test:8000/v1/chat/completions");
  }

  public LlmExchange startChat() {
    return LlmExchange.start(telemetry, chatUrl(), name -> null);
  }

  @Override
  public void close() {
    sdk.close();
  }
}
