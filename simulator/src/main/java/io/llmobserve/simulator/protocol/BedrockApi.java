package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Ids;
import io.llmobserve.simulator.engine.Route;
import io.llmobserve.simulator.engine.TextGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * AWS Bedrock runtime: Converse (JSON), ConverseStream (event-stream), and InvokeModel /
 * InvokeModelWithResponseStream for Anthropic-format bodies (event-stream "chunk" events carrying
 * base64 Anthropic events).
 */
final class BedrockApi {
  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  private static final String STOP = "end_turn";

  private BedrockApi() {}

  static Reply render(CallPlan plan) {
    Route route = plan.route();
    boolean stream = route == Route.BEDROCK_CONVERSE_STREAM || route == Route.BEDROCK_INVOKE_STREAM;
    Reply reply = new Reply(200, stream ? EVENT_STREAM : "application/json", stream);
    ProviderHeaders.bedrock(reply, plan);
    reply.finishReason = STOP;
    if (route == Route.BEDROCK_INVOKE || route == Route.BEDROCK_INVOKE_STREAM) {
      invoke(reply, plan, stream);
    } else if (stream) {
      converseStream(reply, plan);
    } else {
      ObjectNode root = Json.object();
      root.putObject("metrics").put("latencyMs", plan.latencyMs());
      ObjectNode msg = root.putObject("output").putObject("message");
      msg.putArray("content").addObject().put("text", plan.text());
      msg.put("role", "assistant");
      root.put("stopReason", STOP);
      root.set("usage", converseUsage(plan));
      reply.segments.add(
          new Reply.Segment(
              plan.latencyMs() + plan.persona().extraNetworkMillis(), Json.bytes(root)));
    }
    return reply;
  }

  private static ObjectNode converseUsage(CallPlan plan) {
    ObjectNode u = Json.object();
    u.put("inputTokens", AnthropicMessages.uncachedInput(plan));
    u.put("outputTokens", plan.outputTokens());
    u.put("totalTokens", plan.promptTokens() + plan.outputTokens());
    if (plan.cacheReadTokens() > 0) {
      u.put("cacheReadInputTokens", plan.cacheReadTokens());
    }
    if (plan.cacheCreationTokens() > 0) {
      u.put("cacheWriteInputTokens", plan.cacheCreationTokens());
    }
    return u;
  }

  private static void converseStream(Reply reply, CallPlan plan) {
    Random r = plan.random();
    Pacer pacer = new Pacer(plan);
    ObjectNode start = Json.object().put("p", pad(r)).put("role", "assistant");
    pacer.paced(EventStreamEncoder.event("messageStart", Json.bytes(start)));
    boolean first = true;
    for (String piece : TextGenerator.chunks(plan.textTokens(), plan.wordsPerChunk())) {
      ObjectNode d = Json.object();
      d.put("contentBlockIndex", 0);
      d.putObject("delta").put("text", piece);
      d.put("p", pad(r));
      byte[] event = EventStreamEncoder.event("contentBlockDelta", Json.bytes(d));
      if (first) {
        pacer.immediate(event);
        first = false;
      } else {
        pacer.paced(event);
      }
    }
    pacer.paced(
        EventStreamEncoder.event(
            "contentBlockStop",
            Json.bytes(Json.object().put("contentBlockIndex", 0).put("p", pad(r)))));
    pacer.immediate(
        EventStreamEncoder.event(
            "messageStop", Json.bytes(Json.object().put("p", pad(r)).put("stopReason", STOP))));
    ObjectNode meta = Json.object();
    meta.putObject("metrics")
        .put("latencyMs", plan.ttftMs() + plan.outputTokens() * plan.chunkIntervalMs());
    meta.put("p", pad(r));
    meta.set("usage", converseUsage(plan));
    pacer.immediate(EventStreamEncoder.event("metadata", Json.bytes(meta)));
    pacer.into(reply);
  }

  /**
   * InvokeModel with an Anthropic Messages body: Anthropic's JSON, or its events wrapped in "chunk"
   * events.
   */
  private static void invoke(Reply reply, CallPlan plan, boolean stream) {
    Random r = plan.random();
    String id = "msg_bdrk_01" + Ids.base58(r, 22);
    reply.responseId = id;
    String model = anthropicModel(plan.responseModel());
    ObjectNode usage = Json.object();
    usage.put("input_tokens", AnthropicMessages.uncachedInput(plan));
    usage.put("cache_creation_input_tokens", plan.cacheCreationTokens());
    usage.put("cache_read_input_tokens", plan.cacheReadTokens());
    usage.put("output_tokens", plan.outputTokens());
    if (!stream) {
      ObjectNode root = Json.object();
      root.put("id", id);
      root.put("type", "message");
      root.put("role", "assistant");
      root.put("model", model);
      root.putArray("content").addObject().put("type", "text").put("text", plan.text());
      root.put("stop_reason", STOP);
      root.putNull("stop_sequence");
      root.set("usage", usage);
      reply.segments.add(
          new Reply.Segment(
              plan.latencyMs() + plan.persona().extraNetworkMillis(), Json.bytes(root)));
      return;
    }
    Pacer pacer = new Pacer(plan);
    ObjectNode start = Json.object().put("type", "message_start");
    ObjectNode msg = start.putObject("message");
    msg.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    msg.putArray("content");
    msg.putNull("stop_reason").putNull("stop_sequence");
    ObjectNode startUsage = usage.deepCopy().put("output_tokens", 1);
    msg.set("usage", startUsage);
    pacer.paced(chunk(start, r));
    ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
    blockStart.putObject("content_block").put("type", "text").put("text", "");
    pacer.immediate(chunk(blockStart, r));
    boolean first = true;
    for (String piece : TextGenerator.chunks(plan.textTokens(), plan.wordsPerChunk())) {
      ObjectNode d = Json.object().put("type", "content_block_delta").put("index", 0);
      d.putObject("delta").put("type", "text_delta").put("text", piece);
      if (first) {
        pacer.immediate(chunk(d, r));
        first = false;
      } else {
        pacer.paced(chunk(d, r));
      }
    }
    pacer.paced(chunk(Json.object().put("type", "content_block_stop").put("index", 0), r));
    ObjectNode delta = Json.object().put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", STOP).putNull("stop_sequence");
    delta.putObject("usage").put("output_tokens", plan.outputTokens());
    pacer.immediate(chunk(delta, r));
    ObjectNode stop = Json.object().put("type", "message_stop");
    ObjectNode metrics = stop.putObject("amazon-bedrock-invocationMetrics");
    metrics.put("inputTokenCount", AnthropicMessages.uncachedInput(plan));
    metrics.put("outputTokenCount", plan.outputTokens());
    metrics.put("invocationLatency", plan.ttftMs() + plan.outputTokens() * plan.chunkIntervalMs());
    metrics.put("firstByteLatency", plan.ttftMs());
    if (plan.cacheReadTokens() > 0) {
      metrics.put("cacheReadInputTokenCount", plan.cacheReadTokens());
    }
    if (plan.cacheCreationTokens() > 0) {
      metrics.put("cacheWriteInputTokenCount", plan.cacheCreationTokens());
    }
    pacer.immediate(chunk(stop, r));
    pacer.into(reply);
  }

  private static byte[] chunk(ObjectNode anthropicEvent, Random r) {
    ObjectNode payload = Json.object();
    payload.put(
        "bytes",
        Base64.getEncoder()
            .encodeToString(Json.write(anthropicEvent).getBytes(StandardCharsets.UTF_8)));
    payload.put("p", pad(r));
    return EventStreamEncoder.event("chunk", Json.bytes(payload));
  }

  /** "us.anthropic.claude-3-5-sonnet-20240620-v1:0" -> "claude-3-5-sonnet-20240620". */
  static String anthropicModel(String modelId) {
    if (modelId == null) {
      return null;
    }
    String m = modelId;
    int anthropic = m.indexOf("anthropic.");
    if (anthropic >= 0) {
      m = m.substring(anthropic + "anthropic.".length());
    }
    return m.replaceAll("-v\\d+(:\\d+)?$", "");
  }

  /** Bedrock pads events with a random-length "p" field (so sizes do not leak content). */
  private static String pad(Random r) {
    return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
        .substring(0, 1 + r.nextInt(40));
  }
}
