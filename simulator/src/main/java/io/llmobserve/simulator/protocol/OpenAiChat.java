package io.llmobserve.simulator.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.engine.CallPlan;
import io.llmobserve.simulator.engine.Ids;
import io.llmobserve.simulator.engine.TextGenerator;

/** POST /v1/chat/completions and the Azure OpenAI chat routes: JSON and SSE chunks. */
final class OpenAiChat {
  static final String SSE = "text/event-stream; charset=utf-8";
  private static final String FINISH = "stop";

  private OpenAiChat() {}

  static Reply render(CallPlan plan) {
    boolean azure = plan.route().provider().equals("azure");
    Reply reply = new Reply(200, plan.stream() ? SSE : "application/json", plan.stream());
    if (azure) {
      ProviderHeaders.azure(reply, plan);
    } else {
      ProviderHeaders.openAi(reply, plan);
    }
    String id = "chatcmpl-" + Ids.alnum(plan.random(), 29);
    reply.responseId = id;
    reply.finishReason = FINISH;
    reply.systemFingerprint = plan.persona().systemFingerprint();
    if (plan.stream()) {
      stream(reply, plan, id, azure);
    } else {
      long delay = plan.latencyMs() + plan.persona().extraNetworkMillis();
      reply.segments.add(new Reply.Segment(delay, Json.bytes(completion(plan, id, azure))));
    }
    return reply;
  }

  private static ObjectNode completion(CallPlan plan, String id, boolean azure) {
    ObjectNode root = Json.object();
    if (azure) {
      // Azure sends keys in alphabetical order.
      ArrayNode choices = root.putArray("choices");
      ObjectNode c = choices.addObject();
      c.set("content_filter_results", filterResults());
      c.put("finish_reason", FINISH);
      c.put("index", 0);
      c.putNull("logprobs");
      ObjectNode m = c.putObject("message");
      m.putArray("annotations");
      m.put("content", plan.text());
      m.putNull("refusal");
      m.put("role", "assistant");
      root.put("created", plan.createdEpochSeconds());
      root.put("id", id);
      root.put("model", plan.responseModel());
      root.put("object", "chat.completion");
      root.set("prompt_filter_results", promptFilterResults());
      putFingerprint(root, plan);
      root.set("usage", usage(plan));
      return root;
    }
    root.put("id", id);
    root.put("object", "chat.completion");
    root.put("created", plan.createdEpochSeconds());
    root.put("model", plan.responseModel());
    ArrayNode choices = root.putArray("choices");
    ObjectNode c = choices.addObject();
    c.put("index", 0);
    ObjectNode m = c.putObject("message");
    m.put("role", "assistant");
    m.put("content", plan.text());
    m.putNull("refusal");
    m.putArray("annotations");
    c.putNull("logprobs");
    c.put("finish_reason", FINISH);
    root.set("usage", usage(plan));
    root.put("service_tier", plan.serviceTier());
    putFingerprint(root, plan);
    return root;
  }

  private static void stream(Reply reply, CallPlan plan, String id, boolean azure) {
    Pacer pacer = new Pacer(plan);
    boolean usage = plan.facts().includeUsage();
    if (azure) {
      ObjectNode first = Json.object();
      first.putArray("choices");
      first.put("created", 0);
      first.put("id", "");
      first.put("model", "");
      first.put("object", "");
      first.set("prompt_filter_results", promptFilterResults());
      pacer.paced(data(first));
    }
    ObjectNode roleDelta = Json.object();
    roleDelta.put("role", "assistant");
    roleDelta.put("content", "");
    roleDelta.putNull("refusal");
    String role = data(chunk(plan, id, azure, roleDelta, null, false, usage));
    if (azure) {
      pacer.immediate(role);
    } else {
      pacer.paced(role);
    }
    boolean first = true;
    for (String piece : TextGenerator.chunks(plan.textTokens(), plan.wordsPerChunk())) {
      ObjectNode delta = Json.object();
      delta.put("content", piece);
      String event = data(chunk(plan, id, azure, delta, null, true, usage));
      if (first) {
        pacer.immediate(event);
        first = false;
      } else {
        pacer.paced(event);
      }
    }
    pacer.paced(data(chunk(plan, id, azure, Json.object(), FINISH, false, usage)));
    if (usage) {
      ObjectNode last = azure ? Json.object() : header(plan, id);
      if (azure) {
        last.putArray("choices");
        last.put("created", plan.createdEpochSeconds());
        last.put("id", id);
        last.put("model", plan.responseModel());
        last.put("object", "chat.completion.chunk");
        putFingerprint(last, plan);
      } else {
        last.putArray("choices");
      }
      last.set("usage", usage(plan));
      pacer.immediate(data(last));
    }
    pacer.immediate("data: [DONE]\n\n");
    pacer.into(reply);
  }

  private static ObjectNode header(CallPlan plan, String id) {
    ObjectNode root = Json.object();
    root.put("id", id);
    root.put("object", "chat.completion.chunk");
    root.put("created", plan.createdEpochSeconds());
    root.put("model", plan.responseModel());
    root.put("service_tier", plan.serviceTier());
    putFingerprint(root, plan);
    return root;
  }

  private static ObjectNode chunk(
      CallPlan plan,
      String id,
      boolean azure,
      ObjectNode delta,
      String finish,
      boolean content,
      boolean usageNull) {
    if (azure) {
      ObjectNode root = Json.object();
      ObjectNode c = root.putArray("choices").addObject();
      c.set("content_filter_results", content ? filterResults() : Json.object());
      c.set("delta", delta);
      if (finish == null) {
        c.putNull("finish_reason");
      } else {
        c.put("finish_reason", finish);
      }
      c.put("index", 0);
      c.putNull("logprobs");
      root.put("created", plan.createdEpochSeconds());
      root.put("id", id);
      root.put("model", plan.responseModel());
      root.put("object", "chat.completion.chunk");
      putFingerprint(root, plan);
      if (usageNull) {
        root.putNull("usage");
      }
      return root;
    }
    ObjectNode root = header(plan, id);
    ObjectNode c = root.putArray("choices").addObject();
    c.put("index", 0);
    c.set("delta", delta);
    c.putNull("logprobs");
    if (finish == null) {
      c.putNull("finish_reason");
    } else {
      c.put("finish_reason", finish);
    }
    if (usageNull) {
      root.putNull("usage");
    }
    return root;
  }

  static ObjectNode usage(CallPlan plan) {
    ObjectNode u = Json.object();
    u.put("prompt_tokens", plan.promptTokens());
    u.put("completion_tokens", plan.outputTokens());
    u.put("total_tokens", plan.promptTokens() + plan.outputTokens());
    ObjectNode pd = u.putObject("prompt_tokens_details");
    pd.put("cached_tokens", plan.cacheReadTokens());
    pd.put("audio_tokens", 0);
    ObjectNode cd = u.putObject("completion_tokens_details");
    cd.put("reasoning_tokens", plan.reasoningTokens());
    cd.put("audio_tokens", 0);
    cd.put("accepted_prediction_tokens", 0);
    cd.put("rejected_prediction_tokens", 0);
    return u;
  }

  private static void putFingerprint(ObjectNode root, CallPlan plan) {
    if (plan.persona().systemFingerprint() != null) {
      root.put("system_fingerprint", plan.persona().systemFingerprint());
    } else {
      root.putNull("system_fingerprint");
    }
  }

  static String data(ObjectNode node) {
    return "data: " + Json.write(node) + "\n\n";
  }

  private static ArrayNode promptFilterResults() {
    ArrayNode a = Json.array();
    ObjectNode p = a.addObject();
    p.put("prompt_index", 0);
    ObjectNode f = filterResults();
    f.putObject("jailbreak").put("filtered", false).put("detected", false);
    p.set("content_filter_results", f);
    return a;
  }

  private static ObjectNode filterResults() {
    ObjectNode f = Json.object();
    for (String k : new String[] {"hate", "self_harm", "sexual", "violence"}) {
      f.putObject(k).put("filtered", false).put("severity", "safe");
    }
    return f;
  }
}
