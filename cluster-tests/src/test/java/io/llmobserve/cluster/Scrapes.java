package io.llmobserve.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Scrapes the job's /metrics (served by the TaskManager that runs the metrics sink) and checks, on
 * every scrape, that no counter ever went backwards, also across TaskManager kills and restores.
 */
final class Scrapes {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int port;
  private final Map<String, Double> highestCounter = new ConcurrentHashMap<>();
  private final List<String> backwards = new CopyOnWriteArrayList<>();

  Scrapes(int port) {
    this.port = port;
  }

  /** One scrape: series (name + labels as written) -> value. */
  Scrape scrape() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("/metrics -> " + r.statusCode());
    }
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int split = line.lastIndexOf(' ');
      series.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
    }
    series.forEach(
        (name, value) -> {
          // llm_pipeline_http_requests_total is per process (DESIGN.md): it restarts with the
          // TaskManager; every other counter lives in checkpointed state.
          if (name.contains("_total") && !name.startsWith("llm_pipeline_http_requests_total")) {
            Double before = highestCounter.merge(name, value, Math::max);
            if (value < before) {
              backwards.add(name + " " + before + " -> " + value);
            }
          }
        });
    return new Scrape(series);
  }

  /** Every counter that was ever seen lower than before (must stay empty). */
  List<String> backwards() {
    return List.copyOf(backwards);
  }

  record Scrape(Map<String, Double> series) {
    /** Sum of the series of {@code metric} whose labels contain every {@code label="value"}. */
    double sum(String metric, String... labels) {
      double s = 0;
      for (var e : series.entrySet()) {
        String name = e.getKey();
        if (!(name.equals(metric) || name.startsWith(metric + "{"))) {
          continue;
        }
        boolean all = true;
        for (String l : labels) {
          int eq = l.indexOf('=');
          all &= name.contains(l.substring(0, eq) + "=\"" + l.substring(eq + 1) + "\"");
        }
        if (all) {
          s += e.getValue();
        }
      }
      return s;
    }
  }
}
