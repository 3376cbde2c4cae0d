package io.llmobserve.pipeline.job;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.decode.HealthTags;
import io.llmobserve.pipeline.decode.OtlpDecoder;
import io.llmobserve.pipeline.decode.OtlpMetricsDecoder;
import io.llmobserve.pipeline.decode.SpanValidator;
import io.llmobserve.pipeline.detect.DetectorSettings;
import io.llmobserve.pipeline.detect.Detectors;
import io.llmobserve.pipeline.detect.StallDetector;
import io.llmobserve.pipeline.detect.StallSettings;
import io.llmobserve.pipeline.enrich.CostCalculator;
import io.llmobserve.pipeline.enrich.FoldLabelLimiter;
import io.llmobserve.pipeline.enrich.ProviderLimiter;
import io.llmobserve.pipeline.fold.CallFold;
import io.llmobserve.pipeline.fold.CallFolds;
import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.HealthDelta;
import io.llmobserve.pipeline.model.InFlightSample;
import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.model.WindowAggregate;
import io.llmobserve.pipeline.sink.MetricInput;
import io.llmobserve.pipeline.sink.MetricsSink;
import io.llmobserve.pipeline.window.LlmWatermarks;
import io.llmobserve.pipeline.window.PartialMerger;
import io.llmobserve.pipeline.window.RouteCountFinisher;
import io.llmobserve.pipeline.window.RouteMerger;
import io.llmobserve.pipeline.window.SpanAccumulator;
import io.llmobserve.pipeline.window.SpanTimestamps;
import io.llmobserve.pipeline.window.WindowFinisher;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The job: OTLP payloads -> LLM calls -> per-series event-time windows -> detectors -> Prometheus
 * series and alert events. Every step is a named, uid'd operator (uids keep savepoints compatible
 * across versions; do not rename them).
 */
public final class LlmObserveJob {
  private LlmObserveJob() {}

  /** Handles to the job's intermediate streams, for tests. */
  public record Streams(
      DataStream<LlmSpan> calls,
      DataStream<WindowAggregate> windows,
      DataStream<AnomalyEvent> anomalies) {}

  /**
   * @param otlp OTLP payloads; when {@code receiverQueue} is null they already carry per-partition
   *     watermarks (Kafka), else watermarks come from the span end times, and payloads waiting in
   *     that embedded receiver queue keep event time from moving on
   */
  public static Streams build(
      DataStream<byte[]> otlp,
      String receiverQueue,
      PipelineConfig cfg,
      String metricsEndpoint,
      Sink<AnomalyEvent> alertSink) {
    return build(otlp, null, receiverQueue, cfg, metricsEndpoint, alertSink);
  }

  /**
   * @param otlpMetrics OTLP metrics payloads (ExportMetricsServiceRequest), the source of the
   *     agent's in-flight samples for the stall detector; null = no stall detection
   */
  public static Streams build(
      DataStream<byte[]> otlp,
      DataStream<byte[]> otlpMetrics,
      String receiverQueue,
      PipelineConfig cfg,
      String metricsEndpoint,
      Sink<AnomalyEvent> alertSink) {
    boolean sourceWatermarks = receiverQueue == null;
    // Decode and validate chained to the source, at its parallelism: one watermark generator
    // per source reader, never one fed by several readers at different speeds. The embedded
    // receiver has scanned and decoded every request already (DecodedRequest): parsed once.
    int p = otlp.getParallelism();
    SingleOutputStreamOperator<LlmSpan> decoded =
        otlp.process(new OtlpDecoder(cfg.requestLimits, !sourceWatermarks))
            .name("otlp-decoder")
            .uid("otlp-decoder")
            .setParallelism(p);
    SingleOutputStreamOperator<LlmSpan> valid =
        decoded
            .process(
                new SpanValidator(cfg.maxSpanDuration, cfg.maxFutureSkew, cfg.maxTokensPerCall))
            .name("span-validator")
            .uid("span-validator")
            .setParallelism(p);
    // The provider label is bounded before anything is keyed by it.
    SingleOutputStreamOperator<LlmSpan> bounded =
        valid
            .process(new ProviderLimiter(cfg.maxProviders, cfg.labelTtl))
            .name("provider-limiter")
            .uid("provider-limiter")
            .setParallelism(p);

    SingleOutputStreamOperator<LlmSpan> timed =
        sourceWatermarks
            ? bounded.transform(
                "span-timestamps", TypeInformation.of(LlmSpan.class), new SpanTimestamps())
            : bounded.assignTimestampsAndWatermarks(
                LlmWatermarks.forSpans(cfg.outOfOrderness, cfg.idleTimeout, receiverQueue));
    // Priced at the source's parallelism (the pricing table needs the real model name), then
    // every per-call fold in one chained operator: no call crosses a shuffle, only what each
    // subtask folded (window and route partials, detector runs, completion batches).
    SingleOutputStreamOperator<LlmSpan> calls =
        timed
            .name("watermarks")
            .uid("watermarks")
            .setParallelism(p)
            .map(new CostCalculator(cfg.pricing))
            .name("cost")
            .uid("cost")
            .setParallelism(p);
    DetectorSettings detectorSettings =
        DetectorSettings.fromMap(StallSettings.withoutStallKeys(cfg.detector));
    StallSettings stallSettings = StallSettings.fromMap(cfg.detector);
    boolean stall = otlpMetrics != null && stallSettings.enabled;
    SingleOutputStreamOperator<CallFold> folds =
        calls
            .transform(
                "call-folds",
                TypeInformation.of(CallFold.class),
                new CallFolds(cfg.window, detectorSettings, stall))
            .uid("call-folds")
            .setParallelism(p);

    // The label limits on the folded records, keyed by provider (one keyed state, as per call).
    SingleOutputStreamOperator<SpanAccumulator> partials =
        folds
            .keyBy(f -> f.provider, Types.STRING)
            .process(
                new FoldLabelLimiter(
                    cfg.maxModelsPerProvider,
                    cfg.maxServicesPerProvider,
                    cfg.maxRegionsPerProvider,
                    cfg.labelTtl))
            .name("label-limiter")
            .uid("label-limiter");
    SingleOutputStreamOperator<WindowAggregate> windows =
        partials
            .keyBy(SpanAccumulator::seriesKey, Types.STRING)
            .window(TumblingEventTimeWindows.of(cfg.window))
            .allowedLateness(cfg.allowedLateness)
            .sideOutputLateData(HealthTags.LATE_PARTIALS)
            .aggregate(new PartialMerger(), new WindowFinisher())
            .name("windows")
            .uid("windows");

    // llm_calls_by_route: its own small windows, so the series windows keep their key. Late
    // calls are already counted once by the series windows' side output.
    SingleOutputStreamOperator<RouteCount> routes =
        partials
            .getSideOutput(FoldLabelLimiter.ROUTES)
            .keyBy(RouteCount::routeKey, Types.STRING)
            .window(TumblingEventTimeWindows.of(cfg.window))
            .allowedLateness(cfg.allowedLateness)
            .aggregate(new RouteMerger(), new RouteCountFinisher())
            .name("route-windows")
            .uid("route-windows");

    DataStream<AnomalyEvent> anomalies =
        Detectors.apply(
            windows,
            kind -> partials.getSideOutput(FoldLabelLimiter.runs(kind)),
            () -> partials.getSideOutput(FoldLabelLimiter.residencyRuns()),
            detectorSettings);
    SingleOutputStreamOperator<InFlightSample> inFlight = null;
    if (otlpMetrics != null) {
      inFlight =
          otlpMetrics
              .process(new OtlpMetricsDecoder())
              .name("otlp-metrics-decoder")
              .uid("otlp-metrics-decoder")
              .setParallelism(otlpMetrics.getParallelism());
      DataStream<InFlightSample> timedSamples =
          sourceWatermarks
              ? inFlight
              : inFlight
                  .assignTimestampsAndWatermarks(
                      LlmWatermarks.<InFlightSample>forRecords(cfg.outOfOrderness, cfg.idleTimeout))
                  .name("sample-watermarks")
                  .uid("sample-watermarks");
      DataStream<AnomalyEvent> stalls =
          StallDetector.applyToBatches(
              timedSamples, partials.getSideOutput(FoldLabelLimiter.COMPLETIONS), stallSettings);
      if (stalls != null) {
        anomalies = anomalies.union(stalls);
      }
    }

    DataStream<HealthDelta> health =
        decoded
            .getSideOutput(HealthTags.HEALTH)
            .union(valid.getSideOutput(HealthTags.HEALTH))
            .union(
                windows
                    .getSideOutput(HealthTags.LATE_PARTIALS)
                    .map(late -> HealthDelta.of(HealthDelta.LATE, null, late.calls()))
                    .name("late-spans")
                    .uid("late-spans"));
    if (inFlight != null) {
      health = health.union(inFlight.getSideOutput(HealthTags.HEALTH));
    }

    windows
        .map(MetricInput::of)
        .name("window-metrics")
        .uid("window-metrics")
        .union(
            anomalies.map(MetricInput::of).name("anomaly-metrics").uid("anomaly-metrics"),
            health.map(MetricInput::of).name("health-metrics").uid("health-metrics"),
            routes.map(MetricInput::of).name("route-metrics").uid("route-metrics"))
        .sinkTo(
            new MetricsSink(
                cfg.metricsPort,
                metricsEndpoint,
                cfg.gaugeTtl.toMillis(),
                cfg.httpLimits,
                cfg.maxSeries))
        .name("metrics-sink")
        .uid("metrics-sink")
        .setParallelism(1);

    anomalies
        .filter(AnomalyEvent::isTransition)
        .name("alert-transitions")
        .uid("alert-transitions")
        .sinkTo(alertSink)
        .name("alert-sink")
        .uid("alert-sink")
        .setParallelism(1);
    return new Streams(calls, windows, anomalies);
  }
}
