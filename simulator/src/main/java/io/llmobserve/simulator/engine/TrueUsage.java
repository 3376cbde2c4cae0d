package io.llmobserve.simulator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tokenizer-usage mode ({@code Profile.tokenizerUsage}): what a call really costs in tokens,
 * counted from the parsed request with OpenAI's encodings, so agent estimates can be compared with
 * it. Written independently of the agent's byte-level counting: it reads the whole body with
 * Jackson.
 *
 * <p>Chat completions (OpenAI, Azure): OpenAI's published rule for chat messages: 3 tokens per
 * message, each field value encoded (name + 1), content parts' text, 3 tokens priming the reply;
 * tool definitions as in OpenAI's cookbook (function and property lines, fixed overheads). Other
 * formats: every prompt string + 3 per message, with o200k_base (there is no public tokenizer for
 * those providers). Output: the tokens of the text served.
 */
public final class TrueUsage {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private static final List<String> REPLIES = loadReplies();

  private TrueUsage() {}

  public static Encoding encodingFor(String model) {
    String m = model == null ? "" : model;
    boolean older =
        (m.startsWith("gpt-4") && !m.startsWith("gpt-4o") && !m.startsWith("gpt-4."))
            || m.startsWith("gpt-3.5");
    return REGISTRY.getEncoding(older ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE);
  }

  /** The plan with true prompt tokens and a corpus reply (at most max tokens) counted exactly. */
  public static CallPlan apply(CallPlan plan, JsonNode body) {
    if (body == null || plan.route().operation().equals("embeddings")) {
      return plan;
    }
    Encoding enc = encodingFor(plan.requestModel());
    boolean chat =
        plan.route() == Route.OPENAI_CHAT
            || plan.route() == Route.AZURE_CHAT
            || plan.route() == Route.AZURE_V1_CHAT;
    long prompt = chat ? chatPromptTokens(enc, body) : genericPromptTokens(enc, body);
    Integer max = plan.facts().maxTokens();
    List<String> words =
        reply(
            new Random(Planner.mix(plan.sequence(), 0x7E57L)),
            enc,
            max == null ? Integer.MAX_VALUE : max);
    long output = enc.countTokensOrdinary(String.join("", words));
    return plan.withUsage(prompt, Math.max(output, 0), words);
  }

  public static long chatPromptTokens(Encoding enc, JsonNode body) {
    long n = 0;
    for (JsonNode m : body.path("messages")) {
      n += 3;
      for (Map.Entry<String, JsonNode> f : m.properties()) {
        JsonNode v = f.getValue();
        switch (f.getKey()) {
          case "role", "tool_call_id", "refusal" -> n += text(enc, v);
          case "name" -> n += text(enc, v) + 1;
          case "content" -> {
            if (v.isTextual()) {
              n += text(enc, v);
            } else {
              for (JsonNode part : v) {
                n += text(enc, part.path("text")) + text(enc, part.path("refusal"));
              }
            }
          }
          case "tool_calls" -> {
            for (JsonNode call : v) {
              n +=
                  text(enc, call.path("function").path("name"))
                      + text(enc, call.path("function").path("arguments"));
            }
          }
          default -> {}
        }
      }
    }
    n += 3; // <|start|>assistant<|message|>
    return n + toolTokens(enc, body.path("tools"));
  }

  /** OpenAI cookbook, "counting tokens for chat completions API calls" with functions. */
  static long toolTokens(Encoding enc, JsonNode tools) {
    if (!tools.isArray() || tools.isEmpty()) {
      return 0;
    }
    boolean cl100k = enc.getName().equals("cl100k_base");
    int funcInit = cl100k ? 10 : 7;
    long n = 0;
    for (JsonNode t : tools) {
      JsonNode f = t.path("function");
      n += funcInit;
      n +=
          enc.countTokensOrdinary(
              f.path("name").asText("") + ":" + stripPeriod(f.path("description").asText("")));
      JsonNode props = f.path("parameters").path("properties");
      if (props.isObject() && !props.isEmpty()) {
        n += 3;
        for (Map.Entry<String, JsonNode> p : props.properties()) {
          n += 3;
          JsonNode e = p.getValue().path("enum");
          if (e.isArray()) {
            n -= 3;
            for (JsonNode item : e) {
              n += 3 + enc.countTokensOrdinary(item.asText());
            }
          }
          n +=
              enc.countTokensOrdinary(
                  p.getKey()
                      + ":"
                      + p.getValue().path("type").asText("")
                      + ":"
                      + stripPeriod(p.getValue().path("description").asText("")));
        }
      }
    }
    return n + 12;
  }

  public static long genericPromptTokens(Encoding enc, JsonNode body) {
    long n = 0;
    for (String field :
        List.of(
            "messages",
            "contents",
            "system",
            "systemInstruction",
            "input",
            "instructions",
            "prompt")) {
      JsonNode v = body.path(field);
      if (v.isArray() && (field.equals("messages") || field.equals("contents"))) {
        n += 3L * v.size();
      }
      n += strings(enc, v);
    }
    return n;
  }

  private static long strings(Encoding enc, JsonNode v) {
    if (v.isTextual()) {
      return enc.countTokensOrdinary(v.asText());
    }
    long n = 0;
    if (v.isArray()) {
      for (JsonNode c : v) {
        n += strings(enc, c);
      }
    } else if (v.isObject()) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (!e.getKey().equals("type") && !e.getKey().equals("role") && !e.getKey().equals("id")) {
          n += strings(enc, e.getValue());
        }
      }
    }
    return n;
  }

  private static long text(Encoding enc, JsonNode v) {
    return v.isTextual() ? enc.countTokensOrdinary(v.asText()) : 0;
  }

  private static String stripPeriod(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * A corpus reply split into words (each but the first with its leading space), cut at maxTokens.
   */
  static List<String> reply(Random r, Encoding enc, int maxTokens) {
    String text = REPLIES.get(r.nextInt(REPLIES.size()));
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ' || text.charAt(i) == '\n') {
        words.add(text.substring(start, i));
        start = i;
      }
    }
    if (maxTokens < Integer.MAX_VALUE) {
      while (words.size() > 1 && enc.countTokensOrdinary(String.join("", words)) > maxTokens) {
        words.remove(words.size() - 1);
      }
    }
    return words;
  }

  private static List<String> loadReplies() {
    try (InputStream in = TrueUsage.class.getResourceAsStream("/corpus/replies.txt")) {
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (String s : all.split("\n\n---\n\n")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
      return out;
    } catch (IOException | NullPointerException e) {
      return List.of("The corpus could not be read.");
    }
  }

  /**
   * The chat corpus (one chat-completions body per line, without model and stream), for tests and
   * benchmarks.
   */
  public static List<String> chats() {
    try (InputStream in = TrueUsage.class.getResourceAsStream("/corpus/chats.jsonl")) {
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.add(line);
        }
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
