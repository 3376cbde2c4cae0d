package io.llmobserve.pipeline.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * USD per 1M tokens by (provider, model). Lines: {@code provider,model,input,output,cached_input}
 * ({@code #} comments). Models match by longest prefix so dated versions (gpt-4o-2024-08-06) find
 * their family (gpt-4o) and gpt-4o-mini does not fall to gpt-4o; provider {@code *} matches any
 * provider, an exact provider row wins over it.
 */
public final class PricingTable implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String DEFAULT_RESOURCE = "/llm-pricing.csv";

  /** One price row. */
  public record Price(
      String provider, String model, double input, double output, double cachedInput)
      implements Serializable {}

  private final List<Price> rows;

  private PricingTable(List<Price> rows) {
    this.rows = List.copyOf(rows);
  }

  public static PricingTable defaults() {
    try (InputStream in = PricingTable.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
    }
  }

  /** The default table with the rows of {@code overrides} taking precedence. */
  public static PricingTable withOverrides(Path overrides) {
    PricingTable base = defaults();
    try (Reader r = Files.newBufferedReader(overrides, StandardCharsets.UTF_8)) {
      PricingTable extra = parse(r, overrides.toString());
      List<Price> all = new ArrayList<>(extra.rows);
      all.addAll(base.rows); // earlier rows win on equal specificity
      return new PricingTable(all);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--pricing: cannot read " + overrides + ": " + e.getMessage());
    }
  }

  public static PricingTable parse(Reader reader, String sourceName) throws IOException {
    List<Price> rows = new ArrayList<>();
    BufferedReader br = new BufferedReader(reader);
    String line;
    int n = 0;
    while ((line = br.readLine()) != null) {
      n++;
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length < 4) {
        throw new IllegalArgumentException(
            sourceName
                + ":"
                + n
                + ": expected provider,model,input,output[,cached_input], got '"
                + line
                + "'");
      }
      try {
        double in = Double.parseDouble(f[2].strip());
        double out = Double.parseDouble(f[3].strip());
        double cached = f.length > 4 && !f[4].isBlank() ? Double.parseDouble(f[4].strip()) : in;
        if (in < 0 || out < 0 || cached < 0) {
          throw new NumberFormatException("negative price");
        }
        rows.add(
            new Price(
                f[0].strip().toLowerCase(Locale.ROOT),
                f[1].strip().toLowerCase(Locale.ROOT),
                in,
                out,
                cached));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            sourceName + ":" + n + ": bad price in '" + line + "': " + e.getMessage());
      }
    }
    return new PricingTable(rows);
  }

  /** The best row for this call, or null when the model is not priced. */
  public Price lookup(String provider, String model) {
    if (model == null) {
      return null;
    }
    String m = normalizeModel(model.toLowerCase(Locale.ROOT));
    String p = provider == null ? "" : provider.toLowerCase(Locale.ROOT);
    Price best = null;
    int bestScore = -1;
    for (Price row : rows) {
      boolean exactProvider = row.provider.equals(p);
      if (!exactProvider && !row.provider.equals("*")) {
        continue;
      }
      if (!m.startsWith(row.model)) {
        continue;
      }
      // Longer model prefix first, then an exact provider over "*".
      int score = row.model.length() * 2 + (exactProvider ? 1 : 0);
      if (score > bestScore) {
        best = row;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * USD for one call. input counts ALL input tokens (cached included, per the span contract);
   * cached ones are billed at the cached rate. NaN when unpriced.
   */
  public double cost(String provider, String model, long input, long output, long cacheRead) {
    return cost(lookup(provider, model), input, output, cacheRead);
  }

  /** USD for one call at {@code price}; NaN when null. */
  public static double cost(Price price, long input, long output, long cacheRead) {
    if (price == null) {
      return Double.NaN;
    }
    long in = Math.max(0, input);
    long cached = Math.min(in, Math.max(0, cacheRead));
    long out = Math.max(0, output);
    return ((in - cached) * price.input + cached * price.cachedInput + out * price.output)
        / 1_000_000d;
  }

  /** Bedrock ids carry a vendor (and region) prefix: us.anthropic.claude-3-5-sonnet-... */
  static String normalizeModel(String model) {
    String m = model;
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1); // "models/gemini-2.5-pro", "openai/gpt-4o"
    }
    for (String vendor : new String[] {"anthropic.", "meta.", "mistral.", "amazon.", "cohere."}) {
      int i = m.indexOf(vendor);
      if (i >= 0 && i <= 3) {
        return m.substring(i + vendor.length());
      }
    }
    return m;
  }

  public int size() {
    return rows.size();
  }
}
