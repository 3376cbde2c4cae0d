package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Route;
import io.llmobserve.simulator.engine.TextGenerator;
import java.time.Instant;

/** Ollama POST /api/chat and /api/generate: NDJSON streams (the default) or one JSON object. */
final class OllamaApi {
  private static final String STOP = "stop";

  private OllamaApi() {}

  static Reply render(CallPlan plan) {
    boolean chat = plan.route() == Route.OLLAMA_CHAT;
    Reply reply =
        new Reply(
            200,
            plan.stream() ? "application/x-ndjson" : "application/json; charset=utf-8",
            plan.stream());
    reply.finishReason = STOP;
    String created = Instant.ofEpochSecond(plan.createdEpochSeconds()).toString();
    if (!plan.stream()) {
      ObjectNode done = piece(plan, created, chat, plan.text());
      finish(done, plan);
      reply.segments.add(
          new Reply.Segment(
              plan.latencyMs() + plan.persona().extraNetworkMillis(), Json.bytes(done)));
      return reply;
    }
    Pacer pacer = new Pacer(plan);
    for (String text : TextGenerator.chunks(plan.textTokens(), plan.wordsPerChunk())) {
      ObjectNode line = piece(plan, created, chat, text);
      line.put("done", false);
      pacer.paced(Json.write(line) + "\n");
    }
    ObjectNode last = piece(plan, created, chat, "");
    finish(last, plan);
    pacer.paced(Json.write(last) + "\n");
    pacer.into(reply);
    return reply;
  }

  private static ObjectNode piece(CallPlan plan, String created, boolean chat, String text) {
    ObjectNode n = Json.object();
    n.put("model", plan.responseModel());
    n.put("created_at", created);
    if (chat) {
      n.putObject("message").put("role", "assistant").put("content", text);
    } else {
      n.put("response", text);
    }
    return n;
  }

  private static void finish(ObjectNode n, CallPlan plan) {
    long evalNs = plan.outputTokens() * Math.max(1, plan.chunkIntervalMs()) * 1_000_000L;
    long promptNs = Math.max(1, plan.ttftMs()) * 1_000_000L;
    n.put("done_reason", STOP);
    n.put("done", true);
    n.put("total_duration", promptNs + evalNs + 2_000_000L);
    n.put("load_duration", 2_000_000L);
    n.put("prompt_eval_count", plan.promptTokens());
    n.put("prompt_eval_duration", promptNs);
    n.put("eval_count", plan.outputTokens());
    n.put("eval_duration", evalNs);
  }
}
