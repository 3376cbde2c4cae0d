package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Ids;
import io.llmobserve.simulator.engine.TextGenerator;

/**
 * POST /v1/messages: JSON and the SSE event sequence (message_start ... message_stop, with ping).
 */
final class AnthropicMessages {
  private static final String STOP = "end_turn";

  private AnthropicMessages() {}

  static Reply render(CallPlan plan) {
    Reply reply =
        new Reply(200, plan.stream() ? OpenAiChat.SSE : "application/json", plan.stream());
    ProviderHeaders.anthropic(reply, plan);
    String id = "msg_01" + Ids.base58(plan.random(), 22);
    reply.responseId = id;
    reply.finishReason = STOP;
    if (plan.stream()) {
      stream(reply, plan, id);
    } else {
      ObjectNode root = Json.object();
      root.put("model", plan.responseModel());
      root.put("id", id);
      root.put("type", "message");
      root.put("role", "assistant");
      root.putArray("content").addObject().put("type", "text").put("text", plan.text());
      root.put("stop_reason", STOP);
      root.putNull("stop_sequence");
      root.set("usage", usage(plan, plan.outputTokens()));
      long delay = plan.latencyMs() + plan.persona().extraNetworkMillis();
      reply.segments.add(new Reply.Segment(delay, Json.bytes(root)));
    }
    return reply;
  }

  /** Anthropic's input_tokens exclude cache reads and writes. */
  static long uncachedInput(CallPlan plan) {
    return plan.promptTokens() - plan.cacheReadTokens() - plan.cacheCreationTokens();
  }

  private static ObjectNode usage(CallPlan plan, long outputTokens) {
    ObjectNode u = Json.object();
    u.put("input_tokens", uncachedInput(plan));
    u.put("cache_creation_input_tokens", plan.cacheCreationTokens());
    u.put("cache_read_input_tokens", plan.cacheReadTokens());
    ObjectNode cc = u.putObject("cache_creation");
    cc.put("ephemeral_5m_input_tokens", plan.cacheCreationTokens());
    cc.put("ephemeral_1h_input_tokens", 0);
    u.put("output_tokens", outputTokens);
    u.put("service_tier", "standard");
    return u;
  }

  private static void stream(Reply reply, CallPlan plan, String id) {
    Pacer pacer = new Pacer(plan);
    ObjectNode start = Json.object();
    start.put("type", "message_start");
    ObjectNode msg = start.putObject("message");
    msg.put("model", plan.responseModel());
    msg.put("id", id);
    msg.put("type", "message");
    msg.put("role", "assistant");
    msg.putArray("content");
    msg.putNull("stop_reason");
    msg.putNull("stop_sequence");
    msg.set("usage", usage(plan, 1));
    pacer.paced(event("message_start", start));

    ObjectNode blockStart = Json.object();
    blockStart.put("type", "content_block_start");
    blockStart.put("index", 0);
    blockStart.putObject("content_block").put("type", "text").put("text", "");
    pacer.immediate(event("content_block_start", blockStart));
    pacer.immediate("event: ping\ndata: {\"type\": \"ping\"}\n\n");

    int n = 0;
    for (String piece : TextGenerator.chunks(plan.textTokens(), plan.wordsPerChunk())) {
      ObjectNode d = Json.object();
      d.put("type", "content_block_delta");
      d.put("index", 0);
      d.putObject("delta").put("type", "text_delta").put("text", piece);
      if (n++ == 0) {
        pacer.immediate(event("content_block_delta", d));
      } else {
        pacer.paced(event("content_block_delta", d));
      }
    }
    ObjectNode blockStop = Json.object();
    blockStop.put("type", "content_block_stop");
    blockStop.put("index", 0);
    pacer.paced(event("content_block_stop", blockStop));

    ObjectNode delta = Json.object();
    delta.put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", STOP).putNull("stop_sequence");
    ObjectNode u = delta.putObject("usage");
    u.put("input_tokens", uncachedInput(plan));
    u.put("cache_creation_input_tokens", plan.cacheCreationTokens());
    u.put("cache_read_input_tokens", plan.cacheReadTokens());
    u.put("output_tokens", plan.outputTokens());
    pacer.immediate(event("message_delta", delta));
    pacer.immediate(event("message_stop", Json.object().put("type", "message_stop")));
    pacer.into(reply);
  }

  private static String event(String name, ObjectNode data) {
    return "event: " + name + "\ndata: " + Json.write(data) + "\n\n";
  }
}
