package io.llmobserve.simulator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Plausible filler text, one word per token, so token counts and streamed chunks line up exactly.
 */
public final class TextGenerator {
  private static final String[] WORDS = {
    "the",
    "model",
    "latency",
    "request",
    "token",
    "stream",
    "answer",
    "region",
    "service",
    "quickly",
    "observes",
    "every",
    "call",
    "with",
    "cost",
    "and",
    "time",
    "to",
    "first",
    "byte",
    "while",
    "a",
    "simulated",
    "provider",
    "returns",
    "deterministic",
    "text",
    "for",
    "tests",
    "of",
    "observability",
    "pipeline",
    "metrics",
    "alerts",
    "window",
    "baseline",
    "spike",
    "usage",
    "cache",
    "reasoning",
    "edge",
    "throughput",
    "budget",
    "limit",
    "response",
    "chunk",
    "prompt",
    "context",
    "system",
    "user"
  };

  private TextGenerator() {}

  /**
   * {@code n} tokens; every token after the first starts with a space; sentences end with a period.
   */
  public static List<String> tokens(Random r, int n) {
    List<String> out = new ArrayList<>(n);
    boolean sentenceStart = true;
    for (int i = 0; i < n; i++) {
      String w = WORDS[r.nextInt(WORDS.length)];
      if (sentenceStart) {
        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
      }
      sentenceStart = i % 9 == 8 || i == n - 1;
      if (sentenceStart) {
        w = w + ".";
      }
      out.add(i == 0 ? w : " " + w);
    }
    return out;
  }

  /** Groups tokens into streamed pieces of {@code perChunk} tokens. */
  public static List<String> chunks(List<String> tokens, int perChunk) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i += perChunk) {
      out.add(String.join("", tokens.subList(i, Math.min(tokens.size(), i + perChunk))));
    }
    return out;
  }
}
