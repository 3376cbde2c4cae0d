package io.llmobserve.agenttests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import io.llmobserve.providers.LlmCall;
import io.llmobserve.providers.LlmEndpoint;
import io.llmobserve.simulator.engine.TrueUsage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntBiFunction;

/**
 * Accuracy of the agent's token counts per provider format over the chat corpus, in-process (the
 * providers library fed the request and a usage-less response, counted with jtokkit as the agent's
 * TokenCounting does): OpenAI formats against the simulator's independent true count; providers
 * without a public tokenizer against an o200k_base proxy (their real tokenizers are not available
 * here, so this shows the calibration factor, not the real error). Not a test.
 */
public final class TokenAccuracyReport {
  static final ObjectMapper JSON = new ObjectMapper();

  /** What the agent's TokenCounting does (jtokkit, ordinary text), unrelocated. */
  static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  static final ToIntBiFunction<String, String> COUNTER =
      (encoding, text) -> REGISTRY.getEncoding(encoding).orElseThrow().countTokensOrdinary(text);

  public static void main(String[] args) throws Exception {
    List<String> chats = TrueUsage.chats();
    List<String> replies = replies();
    System.out.printf(
        "%-34s %6s %9s %9s %8s %9s %9s %8s%n",
        "provider / model",
        "chats",
        "in est",
        "in true",
        "in err",
        "out est",
        "out true",
        "out err");
    for (String model : List.of("gpt-4o", "gpt-4.1-mini", "gpt-4")) {
      report("openai / " + model, chats, replies, model, "openai");
    }
    report("azure.ai.openai / gpt-4o", chats, replies, "gpt-4o", "azure.ai.openai");
    report(
        "anthropic / claude-sonnet-4-5 (proxy)", chats, replies, "claude-sonnet-4-5", "anthropic");
    report(
        "gcp.gemini / gemini-2.0-flash (proxy)", chats, replies, "gemini-2.0-flash", "gcp.gemini");
    report(
        "aws.bedrock / amazon.nova-pro (proxy)",
        chats,
        replies,
        "amazon.nova-pro-v1:0",
        "aws.bedrock");
  }

  static void report(
      String name, List<String> chats, List<String> replies, String model, String provider)
      throws Exception {
    Encoding enc = TrueUsage.encodingFor(provider.contains("openai") ? model : "gpt-4o");
    long inEst = 0, inTrue = 0, outEst = 0, outTrue = 0;
    int n = 0;
    for (int i = 0; i < chats.size(); i++) {
      JsonNode chat = JSON.readTree(chats.get(i));
      String reply = replies.get(i % replies.size());
      ObjectNode body;
      byte[] response;
      String contentType = "text/event-stream";
      switch (provider) {
        case "anthropic" -> {
          body = anthropic(chat, model);
          response = anthropicStream(reply);
        }
        case "gcp.gemini" -> {
          body = gemini(chat);
          response = geminiStream(reply);
        }
        case "aws.bedrock" -> {
          body = bedrock(chat);
          response = bedrockJson(reply);
          contentType = "application/json";
        }
        default -> {
          body = (ObjectNode) chat.deepCopy();
          body.put("model", model);
          body.put("stream", true);
          response = openAiStream(reply, model);
        }
      }
      if (body == null) {
        continue;
      }
      long truthIn =
          provider.contains("openai")
              ? TrueUsage.chatPromptTokens(enc, body)
              : TrueUsage.genericPromptTokens(enc, body);
      LlmCall call = new LlmCall(new LlmEndpoint(provider, "chat"), System.nanoTime(), false);
      byte[] req = JSON.writeValueAsBytes(body);
      for (int p = 0; p < req.length; p += 100) {
        call.requestBody(req, p, Math.min(100, req.length - p));
      }
      String ct = contentType;
      call.responseHeaders(200, h -> h.equalsIgnoreCase("content-type") ? ct : null);
      for (int p = 0; p < response.length; p += 50) {
        call.responseBody(response, p, Math.min(50, response.length - p));
      }
      call.responseEnd();
      call.estimateUsage(COUNTER);
      inEst += call.inputTokens();
      inTrue += truthIn;
      outEst += call.outputTokens();
      outTrue += enc.countTokensOrdinary(reply);
      n++;
    }
    System.out.printf(
        Locale.ROOT,
        "%-34s %6d %9d %9d %7.2f%% %9d %9d %7.2f%%%n",
        name,
        n,
        inEst,
        inTrue,
        100.0 * (inEst - inTrue) / inTrue,
        outEst,
        outTrue,
        100.0 * (outEst - outTrue) / outTrue);
  }

  /** Text-only chats in Anthropic's format (system apart; tool turns left out). */
  static ObjectNode anthropic(JsonNode chat, String model) {
    ObjectNode b =
        JSON.createObjectNode().put("model", model).put("max_tokens", 512).put("stream", true);
    ArrayNode msgs = b.putArray("messages");
    for (JsonNode m : chat.path("messages")) {
      String text = text(m);
      if (text == null) {
        return null;
      }
      if (m.path("role").asText().equals("system")) {
        b.put("system", text);
      } else {
        msgs.addObject().put("role", m.path("role").asText()).put("content", text);
      }
    }
    return b;
  }

  static ObjectNode gemini(JsonNode chat) {
    ObjectNode b = JSON.createObjectNode();
    ArrayNode contents = b.putArray("contents");
    for (JsonNode m : chat.path("messages")) {
      String text = text(m);
      if (text == null) {
        return null;
      }
      if (m.path("role").asText().equals("system")) {
        b.putObject("systemInstruction").putArray("parts").addObject().put("text", text);
      } else {
        ObjectNode c =
            contents
                .addObject()
                .put("role", m.path("role").asText().equals("assistant") ? "model" : "user");
        c.putArray("parts").addObject().put("text", text);
      }
    }
    return b;
  }

  static ObjectNode bedrock(JsonNode chat) {
    ObjectNode b = JSON.createObjectNode();
    ArrayNode msgs = b.putArray("messages");
    for (JsonNode m : chat.path("messages")) {
      String text = text(m);
      if (text == null) {
        return null;
      }
      if (m.path("role").asText().equals("system")) {
        b.putArray("system").addObject().put("text", text);
      } else {
        ObjectNode o = msgs.addObject().put("role", m.path("role").asText());
        o.putArray("content").addObject().put("text", text);
      }
    }
    return b;
  }

  static String text(JsonNode m) {
    if (m.has("tool_calls") || m.path("role").asText().equals("tool")) {
      return null;
    }
    if (m.path("content").isTextual()) {
      return m.path("content").asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : m.path("content")) {
      sb.append(p.path("text").asText());
    }
    return sb.toString();
  }

  static List<String> words(String reply) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= reply.length(); i++) {
      if (i == reply.length() || reply.charAt(i) == ' ') {
        out.add(reply.substring(start, i));
        start = i;
      }
    }
    return out;
  }

  static byte[] openAiStream(String reply, String model) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String w : words(reply)) {
      ObjectNode chunk = JSON.createObjectNode().put("id", "c").put("model", model);
      chunk.putArray("choices").addObject().putObject("delta").put("content", w);
      sb.append("data: ").append(JSON.writeValueAsString(chunk)).append("\n\n");
    }
    return sb.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] anthropicStream(String reply) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String w : words(reply)) {
      ObjectNode e = JSON.createObjectNode().put("type", "content_block_delta");
      e.putObject("delta").put("type", "text_delta").put("text", w);
      sb.append("event: content_block_delta\ndata: ")
          .append(JSON.writeValueAsString(e))
          .append("\n\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] geminiStream(String reply) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String w : words(reply)) {
      ObjectNode e = JSON.createObjectNode();
      e.putArray("candidates")
          .addObject()
          .putObject("content")
          .putArray("parts")
          .addObject()
          .put("text", w);
      sb.append("data: ").append(JSON.writeValueAsString(e)).append("\r\n\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bedrockJson(String reply) throws Exception {
    ObjectNode b = JSON.createObjectNode();
    b.putObject("output")
        .putObject("message")
        .put("role", "assistant")
        .putArray("content")
        .addObject()
        .put("text", reply);
    b.put("stopReason", "end_turn");
    return JSON.writeValueAsBytes(b);
  }

  static List<String> replies() throws Exception {
    try (InputStream in = TrueUsage.class.getResourceAsStream("/corpus/replies.txt")) {
      List<String> out = new ArrayList<>();
      for (String s : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n\n---\n\n")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
      return out;
    }
  }
}
