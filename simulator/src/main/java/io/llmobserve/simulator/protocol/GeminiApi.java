package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Ids;
import io.llmobserve.simulator.engine.TextGenerator;
import java.util.List;

/**
 * Gemini API {@code models/{model}:generateContent} and {@code :streamGenerateContent}: SSE with
 * {@code ?alt=sse}, otherwise a JSON array streamed element by element.
 */
final class GeminiApi {
  private static final String STOP = "STOP";

  private GeminiApi() {}

  static Reply render(CallPlan plan) {
    boolean sse = plan.stream() && plan.facts().sse();
    String type = sse ? "text/event-stream" : "application/json; charset=UTF-8";
    Reply reply = new Reply(200, type, plan.stream());
    ProviderHeaders.gemini(reply, plan);
    String id = Ids.alnum(plan.random(), 23);
    reply.responseId = id;
    reply.finishReason = STOP;
    if (!plan.stream()) {
      ObjectNode body = chunk(plan, id, plan.text(), true);
      reply.segments.add(
          new Reply.Segment(
              plan.latencyMs() + plan.persona().extraNetworkMillis(), Json.bytes(body)));
      return reply;
    }
    Pacer pacer = new Pacer(plan);
    List<String> pieces = TextGenerator.chunks(plan.textTokens(), plan.wordsPerChunk());
    for (int i = 0; i < pieces.size(); i++) {
      boolean last = i == pieces.size() - 1;
      String json = Json.write(chunk(plan, id, pieces.get(i), last));
      if (sse) {
        pacer.paced("data: " + json + "\r\n\r\n");
      } else {
        pacer.paced((i == 0 ? "[" : ",\r\n") + json + (last ? "]" : ""));
      }
    }
    pacer.into(reply);
    return reply;
  }

  private static ObjectNode chunk(CallPlan plan, String id, String text, boolean last) {
    ObjectNode root = Json.object();
    ObjectNode c = root.putArray("candidates").addObject();
    ObjectNode content = c.putObject("content");
    content.putArray("parts").addObject().put("text", text);
    content.put("role", "model");
    if (last) {
      c.put("finishReason", STOP);
    }
    c.put("index", 0);
    ObjectNode u = root.putObject("usageMetadata");
    u.put("promptTokenCount", plan.promptTokens());
    if (last) {
      u.put("candidatesTokenCount", plan.outputTokens() - plan.reasoningTokens());
      u.put("totalTokenCount", plan.promptTokens() + plan.outputTokens());
      if (plan.cacheReadTokens() > 0) {
        u.put("cachedContentTokenCount", plan.cacheReadTokens());
      }
      if (plan.reasoningTokens() > 0) {
        u.put("thoughtsTokenCount", plan.reasoningTokens());
      }
    } else {
      u.put("totalTokenCount", plan.promptTokens());
    }
    u.putArray("promptTokensDetails")
        .addObject()
        .put("modality", "TEXT")
        .put("tokenCount", plan.promptTokens());
    root.put("modelVersion", plan.responseModel());
    root.put("responseId", id);
    return root;
  }
}
