package io.llmobserve.providers.provider;

import io.llmobserve.providers.GenAiAttributes;
import io.llmobserve.providers.body.Fields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry: every provider the library knows, in one list. Detection, the body readers and the
 * header reader take their knowledge from here; adding a provider is a class and a line in {@link
 * #ALL} (see CONTRIBUTING.md).
 */
public final class Providers {
  private Providers() {}

  public static final OpenAi OPENAI = new OpenAi();
  public static final AzureOpenAi AZURE_OPENAI = new AzureOpenAi();
  public static final Anthropic ANTHROPIC = new Anthropic();
  public static final AwsBedrock AWS_BEDROCK = new AwsBedrock();
  public static final Gemini GEMINI = new Gemini();
  public static final VertexAi VERTEX_AI = new VertexAi();
  public static final Ollama OLLAMA = new Ollama();

  /**
   * Every provider. Order matters where several could answer: cloud headers are tried in this order
   * (Azure, AWS, Google), and of headers two providers both send, the first one listed wins.
   */
  public static final List<Provider> ALL =
      List.of(
          OPENAI,
          AZURE_OPENAI,
          ANTHROPIC,
          AWS_BEDROCK,
          GEMINI,
          VERTEX_AI,
          OLLAMA,
          new Cohere(),
          new OpenAiCompatible(GenAiAttributes.PROVIDER_MISTRAL, "api.mistral.ai"),
          new DeepSeek(),
          new OpenAiCompatible(GenAiAttributes.PROVIDER_GROQ, "api.groq.com"),
          new OpenAiCompatible(GenAiAttributes.PROVIDER_X_AI, "api.x.ai"));

  /**
   * On hosts no provider owns, the path shapes tried in turn, most specific first: an Azure
   * deployment path, Ollama's /api/..., Anthropic's /v1/messages, OpenAI's /v1/... .
   */
  public static final List<Provider> BY_PATH_SHAPE =
      List.of(AZURE_OPENAI, OLLAMA, ANTHROPIC, OPENAI);

  private static final Map<String, Provider> BY_HOST = new HashMap<>();
  private static final Map<String, Provider> BY_NAME = new HashMap<>();
  private static final Provider[] BY_HOST_SHAPE;
  private static final Provider[] CLOUDS;

  static {
    List<Provider> shaped = new ArrayList<>();
    List<Provider> clouds = new ArrayList<>();
    for (Provider p : ALL) {
      for (String host : p.hosts()) {
        if (BY_HOST.putIfAbsent(host, p) != null) {
          throw new IllegalStateException("two providers for host " + host);
        }
      }
      if (BY_NAME.putIfAbsent(p.name(), p) != null) {
        throw new IllegalStateException("two providers named " + p.name());
      }
      shaped.add(p); // ownsHost is a few endsWith compares, false for most
      if (p.isCloud()) {
        clouds.add(p);
      }
    }
    BY_HOST_SHAPE = shaped.toArray(new Provider[0]);
    CLOUDS = clouds.toArray(new Provider[0]);
  }

  /** The provider serving only this host (exact name), or null. */
  public static Provider forHost(String host) {
    Provider p = BY_HOST.get(host);
    if (p != null) {
      return p;
    }
    for (Provider shaped : BY_HOST_SHAPE) {
      if (shaped.ownsHost(host)) {
        return shaped;
      }
    }
    return null;
  }

  /** The provider of this gen_ai.provider.name, or null (a configured name). */
  public static Provider named(String name) {
    return name == null ? null : BY_NAME.get(name);
  }

  /** Providers whose response headers identify their cloud, in order (Azure, AWS, Google). */
  public static Provider[] clouds() {
    return CLOUDS.clone();
  }

  /** Header names from every provider's list, first provider first, without repeats. */
  public static String[] headers(java.util.function.Function<Provider, String[]> list) {
    Set<String> names = new LinkedHashSet<>();
    for (Provider p : ALL) {
      String[] l = list.apply(p);
      if (l != null) {
        Collections.addAll(names, l);
      }
    }
    return names.toArray(new String[0]);
  }

  /** The n-th rate-limit header of every provider that sends them. */
  public static String[] rateLimitHeaders(int n) {
    return headers(
        p -> p.rateLimitHeaders() == null ? null : new String[] {p.rateLimitHeaders()[n]});
  }

  /** Request body fields of every provider. */
  public static Fields requestFields() {
    Fields.Builder b = new Fields.Builder();
    for (Provider p : ALL) {
      p.requestFields(b);
    }
    return b.build();
  }

  /** Response body fields of every provider. */
  public static Fields responseFields() {
    Fields.Builder b = new Fields.Builder();
    for (Provider p : ALL) {
      p.responseFields(b);
    }
    return b.build();
  }

  /** Every JSON key name a provider's fields use (the key table must know them). */
  public static List<String> fieldNames() {
    Fields.Builder b = new Fields.Builder();
    for (Provider p : ALL) {
      p.requestFields(b);
      p.responseFields(b);
    }
    return b.names();
  }
}
