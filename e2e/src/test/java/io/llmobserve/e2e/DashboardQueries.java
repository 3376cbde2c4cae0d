package io.llmobserve.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL expression of the Grafana dashboards (panel targets, nested row panels and
 * annotation queries), with Grafana's variables replaced by concrete values, so a test can run them
 * against a real Prometheus.
 */
final class DashboardQueries {
  /** One runnable query: where it comes from and the PromQL after substitution. */
  record Query(String dashboard, String panel, String promql) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + ": " + promql;
    }
  }

  /** A template variable's label_values(metric{...}, label) query. */
  record LabelValues(String dashboard, String variable, String match, String label) {}

  private static final Pattern LABEL_VALUES =
      Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$");
  private static final Pattern LEFTOVER_VARIABLE = Pattern.compile("\\$\\{?\\w+");

  private DashboardQueries() {}

  /** Grafana built-ins and the dashboards' template variables ("All" = the regex .*). */
  static Map<String, String> defaultSubstitutions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("__rate_interval", "1m");
    m.put("__interval", "15s");
    m.put("__range", "5m");
    for (String v : List.of("service", "provider", "model", "region")) {
      m.put(v, ".*");
    }
    return m;
  }

  static List<Path> dashboardFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  static List<Query> load(Path dir, Map<String, String> substitutions) throws IOException {
    List<Query> out = new ArrayList<>();
    for (Path file : dashboardFiles(dir)) {
      JsonNode d = Http.JSON.readTree(file.toFile());
      String name = file.getFileName().toString();
      collectPanels(name, d.path("panels"), substitutions, out);
      for (JsonNode a : d.path("annotations").path("list")) {
        if (a.hasNonNull("expr")) {
          out.add(
              new Query(
                  name,
                  "annotation " + a.path("name").asText(),
                  substitute(a.path("expr").asText(), substitutions)));
        }
      }
    }
    return out;
  }

  static List<LabelValues> variables(Path dir, Map<String, String> substitutions)
      throws IOException {
    List<LabelValues> out = new ArrayList<>();
    for (Path file : dashboardFiles(dir)) {
      JsonNode d = Http.JSON.readTree(file.toFile());
      for (JsonNode v : d.path("templating").path("list")) {
        if (!"query".equals(v.path("type").asText())) {
          continue;
        }
        JsonNode q = v.path("query");
        String text = q.isTextual() ? q.asText() : q.path("query").asText();
        Matcher m = LABEL_VALUES.matcher(text.trim());
        if (!m.matches()) {
          throw new IllegalStateException(
              file + ": variable " + v.path("name") + " is not label_values(): " + text);
        }
        out.add(
            new LabelValues(
                file.getFileName().toString(),
                v.path("name").asText(),
                substitute(m.group(1), substitutions),
                m.group(2)));
      }
    }
    return out;
  }

  private static void collectPanels(
      String dashboard, JsonNode panels, Map<String, String> subs, List<Query> out) {
    for (JsonNode p : panels) {
      for (JsonNode t : p.path("targets")) {
        if (t.hasNonNull("expr")) {
          out.add(
              new Query(
                  dashboard, p.path("title").asText(), substitute(t.path("expr").asText(), subs)));
        }
      }
      collectPanels(dashboard, p.path("panels"), subs, out);
    }
  }

  static String substitute(String expr, Map<String, String> subs) {
    String s = expr;
    // longest names first: $__rate_interval before $__range, ...
    List<String> names = new ArrayList<>(subs.keySet());
    names.sort((a, b) -> b.length() - a.length());
    for (String n : names) {
      s = s.replace("${" + n + "}", subs.get(n)).replace("$" + n, subs.get(n));
    }
    Matcher left = LEFTOVER_VARIABLE.matcher(s);
    if (left.find()) {
      throw new IllegalStateException(
          "unsubstituted Grafana variable " + left.group() + " in " + expr);
    }
    return s;
  }
}
