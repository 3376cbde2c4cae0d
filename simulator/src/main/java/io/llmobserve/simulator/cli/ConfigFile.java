package io.llmobserve.simulator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.Incident;
import io.llmobserve.simulator.Persona;
import io.llmobserve.simulator.Profile;
import io.llmobserve.simulator.protocol.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A plain {@code key=value} (java.util.Properties) config file:
 *
 * <pre>
 * latencyMs=600             # any Profile field by name
 * throttleRate=0.02
 * persona.openai.pop=SJC    # persona.&lt;key&gt;.&lt;field&gt;; key = openai | anthropic | azure | azure/&lt;deployment&gt;
 * persona.azure/gpt-4o-eastus2.region=East US 2
 * persona.azure/gpt-4o-eastus2.model=gpt-4o
 * modelVersion.gpt-4o=gpt-4o-2024-08-06
 * incident.1={"kind":"latency_spike","provider":"azure","extraLatencyMs":1500,"startDelaySeconds":30,"durationSeconds":60}
 * </pre>
 */
public final class ConfigFile {
  private ConfigFile() {}

  /** Result: the profile and the incidents to inject at start. */
  public record Loaded(Profile profile, List<Incident> incidents) {}

  public static Loaded load(Path file, Profile base) throws IOException {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    }
    return apply(props, base);
  }

  public static Loaded apply(Properties props, Profile base) throws IOException {
    var patch = Json.object();
    Profile.Builder builder = base.toBuilder();
    List<Incident> incidents = new ArrayList<>();
    for (var e : new TreeMap<>(props).entrySet()) {
      String key = String.valueOf(e.getKey()).trim();
      String value = stripComment(String.valueOf(e.getValue()));
      if (key.startsWith("persona.")) {
        setPersonaField(builder, key.substring("persona.".length()), value);
      } else if (key.startsWith("modelVersion.")) {
        builder.modelVersion(key.substring("modelVersion.".length()), value);
      } else if (key.startsWith("incident.")) {
        incidents.add(Json.MAPPER.readValue(value, Incident.class));
      } else {
        patch.put(key, value);
      }
    }
    Profile merged = builder.build();
    if (!patch.isEmpty()) {
      var tree = Json.MAPPER.valueToTree(merged);
      ((ObjectNode) tree).setAll(patch);
      merged = Json.MAPPER.treeToValue(tree, Profile.class);
    }
    return new Loaded(merged, incidents);
  }

  /** {@code <personaKey>.<field>=value}; the persona key may contain dots (deployment names do). */
  public static void setPersonaField(Profile.Builder builder, String keyAndField, String value) {
    int dot = keyAndField.lastIndexOf('.');
    if (dot <= 0) {
      throw new IllegalArgumentException(
          "expected persona.<key>.<field>, got persona." + keyAndField);
    }
    String key = keyAndField.substring(0, dot);
    String field = keyAndField.substring(dot + 1);
    Persona p =
        builder
            .build()
            .personas()
            .getOrDefault(key, new Persona(null, null, null, null, null, null, null));
    String v = value.isEmpty() || value.equals("null") ? null : value;
    p =
        switch (field) {
          case "region" -> p.withRegion(v);
          case "pop" -> p.withPop(v);
          case "systemFingerprint" -> p.withSystemFingerprint(v);
          case "model" -> p.withModel(v);
          case "emitRegionHeader" -> p.withEmitRegionHeader(Boolean.parseBoolean(value));
          case "extraNetworkMs" -> p.withExtraNetworkMs(Long.parseLong(value));
          case "organization" -> p.withOrganization(v);
          default -> throw new IllegalArgumentException("unknown persona field " + field);
        };
    builder.persona(key, p);
  }

  private static String stripComment(String v) {
    int hash = v.indexOf(" #");
    return (hash >= 0 ? v.substring(0, hash) : v).trim();
  }
}
