package io.llmobserve.pipeline.job;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Test helper: scrape /metrics and read sample values by exact series text. */
public final class PromText {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Map<String, Double> samples;
  public final String raw;

  private PromText(String raw) {
    this.raw = raw;
    Map<String, Double> m = new HashMap<>();
    for (String line : raw.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
    }
    samples = m;
  }

  public static PromText scrape(int port) throws Exception {
    return scrape(port, null);
  }

  /** A scrape with a query string, e.g. {@code name[]=llm_calls_total}. */
  public static PromText scrape(int port, String query) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/metrics"
                            + (query == null ? "" : "?" + query)))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + r.statusCode());
    }
    return new PromText(r.body());
  }

  /** Sum over all series of {@code name} whose labels contain every given name=value pair. */
  public double sum(String name, String... labelPairs) {
    double total = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String k = e.getKey();
      if (!(k.equals(name) || k.startsWith(name + "{"))) {
        continue;
      }
      boolean all = true;
      for (String p : labelPairs) {
        int eq = p.indexOf('=');
        if (!k.contains(p.substring(0, eq) + "=\"" + p.substring(eq + 1) + "\"")) {
          all = false;
          break;
        }
      }
      if (all) {
        total += e.getValue();
      }
    }
    return total;
  }

  /** Every counter sample (names ending in _total), by full series text. */
  public Map<String, Double> counters() {
    Map<String, Double> m = new TreeMap<>();
    samples.forEach(
        (k, v) -> {
          int brace = k.indexOf('{');
          if ((brace < 0 ? k : k.substring(0, brace)).endsWith("_total")) {
            m.put(k, v);
          }
        });
    return m;
  }

  public Map<String, Double> series(String name) {
    Map<String, Double> m = new TreeMap<>();
    samples.forEach(
        (k, v) -> {
          if (k.equals(name) || k.startsWith(name + "{")) {
            m.put(k, v);
          }
        });
    return m;
  }
}
