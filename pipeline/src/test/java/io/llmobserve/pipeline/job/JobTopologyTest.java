package io.llmobserve.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.config.PipelineConfig;
import io.llmobserve.pipeline.fold.CallFoldTypeInfo;
import io.llmobserve.pipeline.model.AnomalyEvent;
import io.llmobserve.pipeline.model.LlmSpanTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.junit.jupiter.api.Test;

/**
 * The job's shape: no per-call record crosses a network exchange (every exchange carries folded
 * records, windows, events or payloads), at any parallelism and with every detector on.
 */
class JobTopologyTest {
  /** "operator -> operator: type" of every edge that is not a chained forward. */
  private static List<String> exchanges(int parallelism) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(Map.of()));
    env.setParallelism(parallelism);
    PipelineConfig cfg =
        PipelineConfig.defaultsWith(Map.of("detector.residency.allowed.openai", "eastus2"));
    DataStream<byte[]> otlp =
        env.fromData(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO, new byte[0])
            .setParallelism(1);
    DataStream<byte[]> metrics =
        env.fromData(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO, new byte[0])
            .setParallelism(1);
    LlmObserveJob.build(
        otlp, metrics, null, cfg, "topology-test", new DiscardingSink<AnomalyEvent>());
    StreamGraph g = env.getStreamGraph();
    List<String> out = new ArrayList<>();
    for (StreamNode n : g.getStreamNodes()) {
      for (StreamEdge e : n.getOutEdges()) {
        StreamNode to = g.getStreamNode(e.getTargetId());
        boolean chained =
            e.getPartitioner() instanceof ForwardPartitioner
                && n.getParallelism() == to.getParallelism();
        if (chained) {
          continue;
        }
        String type =
            e.getOutputTag() != null
                ? e.getOutputTag().getTypeInfo().toString()
                : n.getTypeSerializerOut() == null
                    ? "none"
                    : n.getTypeSerializerOut().getClass().getName();
        out.add(n.getOperatorName() + " -> " + to.getOperatorName() + ": " + type);
      }
    }
    System.out.println(
        "exchanges at parallelism " + parallelism + ":\n  " + String.join("\n  ", out));
    return out;
  }

  @Test
  void noCallCrossesAShuffle() {
    for (int p : new int[] {1, 2}) {
      List<String> exchanges = exchanges(p);
      assertThat(exchanges)
          .as("p=" + p)
          .noneMatch(e -> e.contains(LlmSpanTypeInfo.class.getName()) || e.endsWith(": LlmSpan"));
      assertThat(exchanges)
          .as("p=" + p)
          .anyMatch(
              e ->
                  e.startsWith("call-folds -> label-limiter: ")
                      && e.contains(CallFoldTypeInfo.class.getName()));
    }
  }
}
