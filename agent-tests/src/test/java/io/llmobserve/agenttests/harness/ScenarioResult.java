package io.llmobserve.agenttests.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line {@code RESULT <label> key=value ...} printed by a scenario (see
 * io.llmobserve.agenttests.scenarios.Results): what the app itself observed for one call.
 */
public record ScenarioResult(String label, Map<String, String> values) {
  static final String PREFIX = "RESULT ";

  static ScenarioResult parse(String line) {
    if (!line.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = line.substring(PREFIX.length()).split(" ");
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0) {
        values.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
    }
    return new ScenarioResult(parts[0], values);
  }

  public String get(String key) {
    return values.get(key);
  }

  public boolean failed() {
    return values.containsKey("error");
  }
}
