package io.llmobserve.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobserve.simulator.Incident;
import io.llmobserve.simulator.Profile;
import io.llmobserve.simulator.engine.Route;
import io.llmobserve.simulator.engine.SimulatorState;
import io.llmobserve.simulator.protocol.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The admin API under /_sim on the same port: GET /_sim, GET /_sim/health, GET|POST|DELETE
 * /_sim/incidents, DELETE /_sim/incidents/{id}, GET /_sim/stats, GET|DELETE /_sim/exchanges
 * (?limit=N&amp;since=SEQ), GET|PUT /_sim/profile (partial JSON merge).
 */
final class AdminApi {
  private final SimulatorState state;

  AdminApi(SimulatorState state) {
    this.state = state;
  }

  void handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    String method = request.getMethod();
    try {
      Object out;
      int status = 200;
      if (path.equals("/_sim") || path.equals("/_sim/")) {
        out = describe();
      } else if (path.equals("/_sim/health")) {
        out = Map.of("status", "ok");
      } else if (path.equals("/_sim/incidents")) {
        switch (method) {
          case "GET" -> out = Map.of("incidents", state.incidents.describe());
          case "POST" -> {
            JsonNode body =
                Json.MAPPER.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
            List<Incident> added = new ArrayList<>();
            for (JsonNode n : body.isArray() ? body : List.of(body)) {
              added.add(state.incidents.add(Json.MAPPER.treeToValue(n, Incident.class)));
            }
            status = 201;
            out = body.isArray() ? Map.of("incidents", added) : Map.of("incident", added.get(0));
          }
          case "DELETE" -> {
            int n = state.incidents.describe().size();
            state.incidents.clear();
            out = Map.of("cleared", n);
          }
          default -> {
            status = 405;
            out = Map.of("error", "method not allowed");
          }
        }
      } else if (path.startsWith("/_sim/incidents/") && method.equals("DELETE")) {
        boolean removed = state.incidents.remove(path.substring("/_sim/incidents/".length()));
        status = removed ? 200 : 404;
        out = Map.of("removed", removed);
      } else if (path.equals("/_sim/stats")) {
        Map<String, Object> s = new LinkedHashMap<>(state.stats.snapshot());
        s.put("activeIncidents", state.incidents.active().size());
        s.put("exchangesKept", state.exchanges.size());
        s.put("seed", state.seed);
        out = s;
      } else if (path.equals("/_sim/exchanges")) {
        if (method.equals("DELETE")) {
          int n = state.exchanges.size();
          state.exchanges.clear();
          state.stats.reset();
          out = Map.of("cleared", n);
        } else {
          Fields q = Request.extractQueryParameters(request);
          int limit = parseInt(q.getValue("limit"), 100);
          long since = parseInt(q.getValue("since"), 0);
          out = Map.of("exchanges", state.exchanges.recent(limit, since));
        }
      } else if (path.equals("/_sim/profile")) {
        if (method.equals("PUT") || method.equals("POST") || method.equals("PATCH")) {
          JsonNode patch =
              Json.MAPPER.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
          state.profile.set(merge(state.profile.get(), patch));
        }
        out = state.profile.get();
      } else {
        status = 404;
        out = Map.of("error", "unknown admin path " + path);
      }
      send(response, callback, status, out);
    } catch (Exception e) {
      try {
        send(response, callback, 400, Map.of("error", String.valueOf(e.getMessage())));
      } catch (Exception again) {
        callback.failed(again);
      }
    }
  }

  /** Applies a partial JSON profile over {@code base} (objects merge, other values replace). */
  static Profile merge(Profile base, JsonNode patch) throws Exception {
    ObjectNode tree = Json.MAPPER.valueToTree(base);
    deepMerge(tree, patch);
    return Json.MAPPER.treeToValue(tree, Profile.class);
  }

  private static void deepMerge(ObjectNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      throw new IllegalArgumentException("profile patch must be a JSON object");
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        deepMerge(o, e.getValue());
      } else {
        target.set(e.getKey(), e.getValue());
      }
    }
  }

  private static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> routes = new ArrayList<>();
    for (Route r : Route.values()) {
      routes.add("POST " + r.template() + "  (" + r.provider() + " " + r.operation() + ")");
    }
    m.put("routes", routes);
    m.put(
        "admin",
        List.of(
            "GET /_sim/health",
            "GET|POST|DELETE /_sim/incidents",
            "DELETE /_sim/incidents/{id}",
            "GET /_sim/stats",
            "GET|DELETE /_sim/exchanges?limit=N&since=SEQ",
            "GET|PUT /_sim/profile"));
    return m;
  }

  private static int parseInt(String s, int dflt) {
    try {
      return s == null ? dflt : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  private static void send(Response response, Callback callback, int status, Object body)
      throws Exception {
    byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
