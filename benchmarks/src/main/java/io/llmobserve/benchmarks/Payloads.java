package io.llmobserve.benchmarks;

import java.nio.charset.StandardCharsets;

/** Deterministic, realistic bodies shared by the body-scanning benchmarks. */
public final class Payloads {
  private Payloads() {}

  private static final String PROSE =
      "The quick brown fox jumps over the lazy dog. Observability for LLM calls means tokens, "
          + "latency and cost per request; \\\"quoted\\\" text, a tab\\t and unicode \\u00e9 appear too. ";

  /** A chat request of about {@code size} bytes whose model comes after the messages array. */
  public static byte[] chatRequest(int size) {
    StringBuilder sb = new StringBuilder(size + 512);
    sb.append("{\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"}");
    int i = 0;
    while (sb.length() < size - 200) {
      sb.append(",{\"role\":\"")
          .append(i % 2 == 0 ? "user" : "assistant")
          .append("\",\"content\":\"");
      for (int k = 0; k < 6; k++) {
        sb.append(PROSE);
      }
      sb.append("\"}");
      i++;
    }
    sb.append("],\"temperature\":0.7,\"max_completion_tokens\":1024,\"stream\":true,")
        .append("\"stream_options\":{\"include_usage\":true},\"model\":\"gpt-4o-mini\"}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A non-streamed chat completion with about 2 KB of content. */
  public static byte[] chatResponse() {
    StringBuilder content = new StringBuilder();
    for (int k = 0; k < 12; k++) {
      content.append(PROSE);
    }
    String s =
        "{\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion\",\"created\":1741570283,"
            + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + content
            + "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":1117,\"completion_tokens\":46,\"total_tokens\":1163,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
            + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_fc9f1d7035\"}";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** An OpenAI chat SSE stream: {@code chunks} content chunks, a finish chunk, usage, [DONE]. */
  public static byte[] sseStream(int chunks) {
    return sseStream(chunks, true);
  }

  /**
   * The same stream; without {@code usage} it ends after the finish chunk, as a stream does whose
   * request did not set {@code stream_options.include_usage}.
   */
  public static byte[] sseStream(int chunks, boolean usage) {
    StringBuilder sb = new StringBuilder(chunks * 330);
    String head =
        "data: {\"id\":\"chatcmpl-AyPyvNTtD3Yq5yLNmGeWc4wBqTdga\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1739019357,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_72ed7ab54c\",\"choices\":[";
    String[] words = {
      "Hello", " there", "! How", " can", " I", " help", " you", " today", "?", " \\\"quoted\\\""
    };
    for (int i = 0; i < chunks; i++) {
      sb.append(head)
          .append("{\"index\":0,\"delta\":{\"content\":\"")
          .append(words[i % words.length])
          .append("\"},\"logprobs\":null,\"finish_reason\":null}]")
          .append(usage ? ",\"usage\":null}\n\n" : "}\n\n");
    }
    sb.append(head)
        .append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]")
        .append(usage ? ",\"usage\":null}\n\n" : "}\n\n");
    if (!usage) {
      return sb.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
    }
    sb.append(head)
        .append("],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":")
        .append(chunks)
        .append(",\"total_tokens\":")
        .append(19 + chunks)
        .append(
            ",\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
