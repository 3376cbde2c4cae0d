package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Ids;
import io.llmobserve.simulator.engine.TextGenerator;

/** POST /v1/responses (Responses API): JSON and the typed SSE event sequence. */
final class OpenAiResponses {
  /** The Responses API has no finish_reason; its status is recorded instead. */
  static final String STATUS = "completed";

  private OpenAiResponses() {}

  static Reply render(CallPlan plan) {
    Reply reply =
        new Reply(200, plan.stream() ? OpenAiChat.SSE : "application/json", plan.stream());
    ProviderHeaders.openAi(reply, plan);
    String id = "resp_" + Ids.hex(plan.random(), 50);
    String itemId = "msg_" + Ids.hex(plan.random(), 50);
    reply.responseId = id;
    reply.finishReason = STATUS;
    if (plan.stream()) {
      stream(reply, plan, id, itemId);
    } else {
      long delay = plan.latencyMs() + plan.persona().extraNetworkMillis();
      reply.segments.add(new Reply.Segment(delay, Json.bytes(response(plan, id, itemId, true))));
    }
    return reply;
  }

  private static ObjectNode response(CallPlan plan, String id, String itemId, boolean completed) {
    ObjectNode r = Json.object();
    r.put("id", id);
    r.put("object", "response");
    r.put("created_at", plan.createdEpochSeconds());
    r.put("status", completed ? "completed" : "in_progress");
    r.put("background", false);
    r.putNull("error");
    r.putNull("incomplete_details");
    r.putNull("instructions");
    if (plan.facts().maxTokens() == null) {
      r.putNull("max_output_tokens");
    } else {
      r.put("max_output_tokens", plan.facts().maxTokens());
    }
    r.put("model", plan.responseModel());
    if (completed) {
      r.putArray("output").add(item(plan, itemId, true));
    } else {
      r.putArray("output");
    }
    r.put("parallel_tool_calls", true);
    r.putNull("previous_response_id");
    r.putObject("reasoning").putNull("effort").putNull("summary");
    r.put("service_tier", plan.serviceTier());
    r.put("store", true);
    r.put("temperature", 1.0);
    r.putObject("text").putObject("format").put("type", "text");
    r.put("tool_choice", "auto");
    r.putArray("tools");
    r.put("top_p", 1.0);
    r.put("truncation", "disabled");
    if (completed) {
      ObjectNode u = r.putObject("usage");
      u.put("input_tokens", plan.promptTokens());
      u.putObject("input_tokens_details").put("cached_tokens", plan.cacheReadTokens());
      u.put("output_tokens", plan.outputTokens());
      u.putObject("output_tokens_details").put("reasoning_tokens", plan.reasoningTokens());
      u.put("total_tokens", plan.promptTokens() + plan.outputTokens());
    } else {
      r.putNull("usage");
    }
    r.putNull("user");
    r.putObject("metadata");
    return r;
  }

  private static ObjectNode item(CallPlan plan, String itemId, boolean done) {
    ObjectNode item = Json.object();
    item.put("id", itemId);
    item.put("type", "message");
    item.put("status", done ? "completed" : "in_progress");
    if (done) {
      item.putArray("content").add(part(plan.text()));
    } else {
      item.putArray("content");
    }
    item.put("role", "assistant");
    return item;
  }

  private static ObjectNode part(String text) {
    ObjectNode p = Json.object();
    p.put("type", "output_text");
    p.putArray("annotations");
    p.putArray("logprobs");
    p.put("text", text);
    return p;
  }

  private static void stream(Reply reply, CallPlan plan, String id, String itemId) {
    Pacer pacer = new Pacer(plan);
    int[] seq = {0};
    ObjectNode created = typed("response.created", seq);
    created.set("response", response(plan, id, itemId, false));
    pacer.paced(event(created));
    ObjectNode inProgress = typed("response.in_progress", seq);
    inProgress.set("response", response(plan, id, itemId, false));
    pacer.immediate(event(inProgress));
    ObjectNode added = typed("response.output_item.added", seq);
    added.put("output_index", 0);
    added.set("item", item(plan, itemId, false));
    pacer.immediate(event(added));
    ObjectNode partAdded = typed("response.content_part.added", seq);
    itemRef(partAdded, itemId);
    partAdded.set("part", part(""));
    pacer.immediate(event(partAdded));
    boolean first = true;
    for (String piece : TextGenerator.chunks(plan.textTokens(), plan.wordsPerChunk())) {
      ObjectNode delta = typed("response.output_text.delta", seq);
      itemRef(delta, itemId);
      delta.put("delta", piece);
      delta.putArray("logprobs");
      if (first) {
        pacer.immediate(event(delta));
        first = false;
      } else {
        pacer.paced(event(delta));
      }
    }
    ObjectNode textDone = typed("response.output_text.done", seq);
    itemRef(textDone, itemId);
    textDone.put("text", plan.text());
    textDone.putArray("logprobs");
    pacer.paced(event(textDone));
    ObjectNode partDone = typed("response.content_part.done", seq);
    itemRef(partDone, itemId);
    partDone.set("part", part(plan.text()));
    pacer.immediate(event(partDone));
    ObjectNode itemDone = typed("response.output_item.done", seq);
    itemDone.put("output_index", 0);
    itemDone.set("item", item(plan, itemId, true));
    pacer.immediate(event(itemDone));
    ObjectNode completed = typed("response.completed", seq);
    completed.set("response", response(plan, id, itemId, true));
    pacer.immediate(event(completed));
    pacer.into(reply);
  }

  private static ObjectNode typed(String type, int[] seq) {
    ObjectNode n = Json.object();
    n.put("type", type);
    n.put("sequence_number", seq[0]++);
    return n;
  }

  private static void itemRef(ObjectNode n, String itemId) {
    n.put("item_id", itemId);
    n.put("output_index", 0);
    n.put("content_index", 0);
  }

  private static String event(ObjectNode data) {
    return "event: " + data.get("type").asText() + "\ndata: " + Json.write(data) + "\n\n";
  }
}
