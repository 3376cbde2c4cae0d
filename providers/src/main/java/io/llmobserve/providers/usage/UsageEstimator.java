package io.llmobserve.providers.usage;

import io.llmobserve.providers.GenAiAttributes;
import java.util.Locale;
import java.util.function.ToIntBiFunction;

/**
 * Counts the tokens of a {@link UsageText} with the model's own tokenizer (OpenAI's encodings), or
 * estimates them for providers that publish none (a per-provider factor over o200k_base). The
 * tokenizer is given as a function (encoding name, text) -> tokens, so this library stays free of
 * dependencies; without one, 4 UTF-8 bytes per token.
 */
public final class UsageEstimator {
  public static final String O200K = "o200k_base";
  public static final String CL100K = "cl100k_base";

  private UsageEstimator() {}

  /** How one call's tokens are counted. */
  public static final class Method {
    public final String encoding;

    /** Multiplier over the encoding's count: 1 for OpenAI's own models. */
    public final double factor;

    /**
     * True when the encoding is the model's own (OpenAI models): the count follows OpenAI's rules.
     */
    public final boolean tokenizerOfTheModel;

    Method(String encoding, double factor, boolean own) {
      this.encoding = encoding;
      this.factor = factor;
      this.tokenizerOfTheModel = own;
    }

    /** The value of llm.usage.estimate_method. */
    public String describe(boolean extrapolated, boolean tokenizerAvailable) {
      String base;
      if (!tokenizerAvailable) {
        base = "bytes_per_token:4";
      } else if (tokenizerOfTheModel) {
        base = "tokenizer:" + encoding;
      } else {
        base = String.format(Locale.ROOT, "calibrated:%s*%.2f", encoding, factor);
      }
      return extrapolated ? base + "+extrapolated" : base;
    }
  }

  /**
   * The encoding and factor for a provider and model (response model preferred). OpenAI and Azure
   * OpenAI models of the gpt-4o, 4.1, 4.5, o-series and gpt-5 families use o200k_base, older gpt-4
   * / gpt-3.5 cl100k_base; both counted exactly. Everything else is an estimate.
   */
  public static Method methodFor(String provider, String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    String p = provider == null ? "" : provider;
    if (p.equals(GenAiAttributes.PROVIDER_OPENAI)
        || p.equals(GenAiAttributes.PROVIDER_AZURE_OPENAI)) {
      if (isO200k(m)) {
        return new Method(O200K, 1.0, true);
      }
      if (m.startsWith("gpt-4") || m.startsWith("gpt-35") || m.startsWith("gpt-3.5")) {
        return new Method(CL100K, 1.0, true);
      }
      return new Method(O200K, 1.0, false); // an unknown model name: probably a newer family
    }
    // Providers without a public tokenizer: factors over o200k_base from public comparisons of
    // the same English text; see DESIGN.md (token estimates) for their uncertainty.
    switch (p) {
      case GenAiAttributes.PROVIDER_ANTHROPIC:
        return new Method(O200K, 1.20, false);
      case GenAiAttributes.PROVIDER_AWS_BEDROCK:
        if (m.contains("anthropic") || m.contains("claude")) {
          return new Method(O200K, 1.20, false);
        }
        if (m.contains("llama")) {
          return new Method(CL100K, 1.0, false);
        }
        return new Method(O200K, 1.10, false);
      case GenAiAttributes.PROVIDER_GEMINI:
      case GenAiAttributes.PROVIDER_VERTEX_AI:
        return new Method(O200K, 1.05, false);
      case GenAiAttributes.PROVIDER_MISTRAL:
      case GenAiAttributes.PROVIDER_COHERE:
        return new Method(O200K, 1.10, false);
      case GenAiAttributes.PROVIDER_OLLAMA:
      case GenAiAttributes.PROVIDER_GROQ:
        return new Method(
            CL100K, 1.0, false); // mostly Llama-family: a tiktoken-style 128k vocabulary
      default:
        // OpenAI-compatible servers and gateways: an OpenAI model name means OpenAI's tokenizer
        if (isO200k(m)) {
          return new Method(O200K, 1.0, true);
        }
        if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5")) {
          return new Method(CL100K, 1.0, true);
        }
        return new Method(O200K, 1.0, false);
    }
  }

  static boolean isO200k(String m) {
    return m.startsWith("gpt-4o")
        || m.startsWith("chatgpt-4o")
        || m.startsWith("gpt-4.1")
        || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5")
        || m.startsWith("gpt-oss")
        || m.startsWith("o1")
        || m.startsWith("o3")
        || m.startsWith("o4");
  }

  /** Tokens of one side; {@code counter} may be null (4 UTF-8 bytes per token). */
  public static long count(UsageText text, Method method, ToIntBiFunction<String, String> counter) {
    long tokens = 0;
    long bytes = 0;
    for (String piece : text.pieces()) {
      bytes += UsageText.Utf8.length(piece, 0, piece.length());
      if (counter != null) {
        tokens += counter.applyAsInt(method.encoding, piece);
      }
    }
    if (counter == null) {
      tokens = (bytes + 3) / 4;
    }
    if (text.missedBytes() > 0) {
      // past the cap: the kept text's own tokens per byte, else 4 bytes per token
      double perByte = bytes > 0 && tokens > 0 ? (double) tokens / bytes : 0.25;
      tokens += Math.round(text.missedBytes() * perByte);
    }
    tokens += toolOverhead(text, method.encoding);
    tokens += text.overheadTokens();
    return Math.round(tokens * method.factor);
  }

  /** OpenAI's published tool-definition overheads (gpt-4o family; older models 10 per function). */
  static long toolOverhead(UsageText t, String encoding) {
    if (t.functions == 0) {
      return 0;
    }
    int functionInit = CL100K.equals(encoding) ? 10 : 7;
    return (long) t.functions * functionInit
        + 3L * t.functionsWithProperties
        + 3L * t.properties
        - 3L * t.enums
        + 3L * t.enumItems
        + 12;
  }
}
