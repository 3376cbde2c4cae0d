package io.llmobserve.simulator.engine;

import io.llmobserve.simulator.Incident;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Injected incidents with their activation windows; expired ones are dropped lazily. */
public final class IncidentBook {
  /** An incident with its absolute window in the book's clock (ms). */
  public record Scheduled(Incident incident, long startsAtMs, long endsAtMs) {
    public boolean activeAt(long now) {
      return now >= startsAtMs && now < endsAtMs;
    }

    public Map<String, Object> describe(long now) {
      String state = now < startsAtMs ? "scheduled" : (now < endsAtMs ? "active" : "expired");
      var m = new LinkedHashMap<String, Object>();
      m.put("incident", incident);
      m.put("state", state);
      m.put("startsInMs", Math.max(0, startsAtMs - now));
      m.put("remainingMs", endsAtMs == Long.MAX_VALUE ? null : Math.max(0, endsAtMs - now));
      return m;
    }
  }

  private final LongSupplier clockMs;
  private final AtomicLong nextId = new AtomicLong(1);
  private final List<Scheduled> entries = new ArrayList<>();

  public IncidentBook(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  public synchronized Incident add(Incident incident) {
    if (incident.kind() == null) {
      throw new IllegalArgumentException("incident kind is required");
    }
    Incident withId =
        incident.id() != null ? incident : incident.withId("inc-" + nextId.getAndIncrement());
    long now = clockMs.getAsLong();
    long start = now + seconds(withId.startDelaySeconds());
    Double d = withId.durationSeconds();
    long end = d == null || d <= 0 ? Long.MAX_VALUE : start + seconds(d);
    entries.removeIf(e -> e.incident().id().equals(withId.id()));
    entries.add(new Scheduled(withId, start, end));
    return withId;
  }

  public synchronized boolean remove(String id) {
    return entries.removeIf(e -> e.incident().id().equals(id));
  }

  public synchronized void clear() {
    entries.clear();
  }

  /** Incidents active now, in injection order. */
  public synchronized List<Incident> active() {
    long now = clockMs.getAsLong();
    entries.removeIf(e -> now >= e.endsAtMs());
    List<Incident> out = new ArrayList<>();
    for (Scheduled e : entries) {
      if (e.activeAt(now)) {
        out.add(e.incident());
      }
    }
    return out;
  }

  /** Active and scheduled incidents, with their state. */
  public synchronized List<Map<String, Object>> describe() {
    long now = clockMs.getAsLong();
    entries.removeIf(e -> now >= e.endsAtMs());
    List<Map<String, Object>> out = new ArrayList<>();
    for (Scheduled e : entries) {
      out.add(e.describe(now));
    }
    return out;
  }

  private static long seconds(Double s) {
    return s == null ? 0 : Math.round(s * 1000);
  }
}
