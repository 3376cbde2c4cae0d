package io.llmobserve.agent.common;

import io.llmobserve.providers.LlmCall;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The LLM calls in flight, exported as two observable metrics so a hang is visible while it lasts
 * (a span only exists once the call ends):
 *
 * <ul>
 *   <li>{@code gen_ai.client.operation.active} ({@code {call}}, UpDownCounter): calls started and
 *       not yet ended;
 *   <li>{@code gen_ai.client.operation.oldest_age} ({@code s}, gauge): age of the oldest of them.
 * </ul>
 *
 * Per gen_ai.provider.name, gen_ai.operation.name, gen_ai.request.model (the model or Azure
 * deployment the app asked for), server.address, server.port and llm.hosting.region (only once
 * response headers named it). A key whose calls all ended reports 0 for {@link
 * #ZERO_RETENTION_NANOS} so a consumer sees the end instead of a vanished series.
 *
 * <p>Hot path: {@link #register} / {@link #unregister} link and unlink one node in a striped
 * doubly-linked list: O(1), one small object per call, no clock read (the start time is the
 * exchange's own). The clock, the model and the region are read only in the collection callback.
 * Never throws into the app.
 */
public final class InFlightCalls {
  static final AttributeKey<String> HOSTING_REGION = AttributeKey.stringKey("llm.hosting.region");
  static final String ACTIVE = "gen_ai.client.operation.active";
  static final String OLDEST_AGE = "gen_ai.client.operation.oldest_age";

  /** Keep reporting 0 for a key this long after its last call ended. */
  static final long ZERO_RETENTION_NANOS = 5L * 60 * 1_000_000_000L;

  /** Bound on the keys remembered for zero reports (distinct provider/model/server/region). */
  static final int MAX_KEYS = 512;

  private static final int STRIPES = 8; // power of two

  private final Stripe[] stripes = new Stripe[STRIPES];
  private final LongSupplier nanoClock;

  /** Keys seen recently -> when they last had a call in flight; guarded by this. */
  private final Map<Key, Long> recentKeys = new LinkedHashMap<>(16, 0.75f, true);

  InFlightCalls(Meter meter) {
    this(meter, System::nanoTime);
  }

  InFlightCalls(Meter meter, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
    if (meter == null) {
      return;
    }
    ObservableLongMeasurement active =
        meter
            .upDownCounterBuilder(ACTIVE)
            .setUnit("{call}")
            .setDescription("GenAI client calls started and not yet ended.")
            .buildObserver();
    ObservableDoubleMeasurement oldest =
        meter
            .gaugeBuilder(OLDEST_AGE)
            .setUnit("s")
            .setDescription("Age of the oldest GenAI client call in flight (0 when none).")
            .buildObserver();
    meter.batchCallback(() -> collect(active, oldest), active, oldest);
  }

  /** One call in flight: a list node. */
  public static final class Entry {
    final LlmCall call;
    final String serverAddress;
    final int serverPort;
    final long startNanos;
    final Stripe stripe;
    Entry prev;
    Entry next;
    boolean linked;

    Entry(LlmCall call, String serverAddress, int serverPort, long startNanos, Stripe stripe) {
      this.call = call;
      this.serverAddress = serverAddress;
      this.serverPort = serverPort;
      this.startNanos = startNanos;
      this.stripe = stripe;
    }
  }

  /** A doubly-linked list with its own lock; stripes keep concurrent starts off one monitor. */
  static final class Stripe {
    private Entry head;
    private Entry tail;

    synchronized void link(Entry e) {
      e.prev = tail;
      if (tail == null) {
        head = e;
      } else {
        tail.next = e;
      }
      tail = e;
      e.linked = true;
    }

    synchronized void unlink(Entry e) {
      if (!e.linked) {
        return;
      }
      if (e.prev == null) {
        head = e.next;
      } else {
        e.prev.next = e.next;
      }
      if (e.next == null) {
        tail = e.prev;
      } else {
        e.next.prev = e.prev;
      }
      e.prev = null;
      e.next = null;
      e.linked = false;
    }

    /** Copies the calls in flight (collection time only). */
    synchronized int snapshot(Entry[] out, int from) {
      int n = from;
      for (Entry e = head; e != null && n < out.length; e = e.next) {
        out[n++] = e;
      }
      return n;
    }

    synchronized int size() {
      int n = 0;
      for (Entry e = head; e != null; e = e.next) {
        n++;
      }
      return n;
    }
  }

  /** Starts tracking a call; null on any failure (the call is then simply not counted). */
  public Entry register(LlmCall call, String serverAddress, int serverPort, long startNanos) {
    try {
      Stripe s = stripes[(int) (Thread.currentThread().getId() & (STRIPES - 1))];
      Entry e = new Entry(call, serverAddress, serverPort, startNanos, s);
      s.link(e);
      return e;
    } catch (Throwable t) {
      return null;
    }
  }

  /** Stops tracking; null and repeated calls are fine. */
  public static void unregister(Entry e) {
    if (e == null) {
      return;
    }
    try {
      e.stripe.unlink(e);
    } catch (Throwable ignored) {
      // never into the app
    }
  }

  /** Calls in flight now (tests). */
  int size() {
    int n = 0;
    for (Stripe s : stripes) {
      n += s.size();
    }
    return n;
  }

  /** Per key: calls in flight and the oldest start; the collection callback's work. */
  synchronized Map<Attributes, double[]> measure() {
    long now = nanoClock.getAsLong();
    Map<Key, long[]> byKey = new HashMap<>(); // {count, oldest start}
    Entry[] buf = new Entry[64];
    for (Stripe s : stripes) {
      int n;
      while ((n = s.snapshot(buf, 0)) == buf.length) {
        buf = new Entry[buf.length * 2]; // more calls than room: grow and copy again
      }
      for (int i = 0; i < n; i++) {
        Entry e = buf[i];
        buf[i] = null;
        Key k = Key.of(e);
        long[] agg = byKey.get(k);
        if (agg == null) {
          byKey.put(k, new long[] {1, e.startNanos});
        } else {
          agg[0]++;
          agg[1] = Math.min(agg[1], e.startNanos);
        }
      }
    }
    Map<Attributes, double[]> out = new HashMap<>();
    for (Map.Entry<Key, long[]> m : byKey.entrySet()) {
      recentKeys.put(m.getKey(), now);
      long[] agg = m.getValue();
      out.put(m.getKey().attributes(), new double[] {agg[0], Math.max(0, now - agg[1]) / 1e9});
    }
    for (Iterator<Map.Entry<Key, Long>> it = recentKeys.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Long> k = it.next();
      if (now - k.getValue() > ZERO_RETENTION_NANOS || recentKeys.size() > MAX_KEYS) {
        it.remove();
      } else if (!byKey.containsKey(k.getKey())) {
        out.put(k.getKey().attributes(), new double[] {0, 0});
      }
    }
    return out;
  }

  private void collect(ObservableLongMeasurement active, ObservableDoubleMeasurement oldest) {
    try {
      for (Map.Entry<Attributes, double[]> m : measure().entrySet()) {
        active.record((long) m.getValue()[0], m.getKey());
        oldest.record(m.getValue()[1], m.getKey());
      }
    } catch (Throwable ignored) {
      // metrics are best effort
    }
  }

  /** The attributes of one in-flight series. */
  static final class Key {
    final String provider;
    final String operation;
    final String model;
    final String serverAddress;
    final int serverPort;
    final String region;
    private Attributes attributes;

    Key(
        String provider,
        String operation,
        String model,
        String serverAddress,
        int serverPort,
        String region) {
      this.provider = provider;
      this.operation = operation;
      this.model = model;
      this.serverAddress = serverAddress;
      this.serverPort = serverPort;
      this.region = region;
    }

    static Key of(Entry e) {
      LlmCall c = e.call;
      return new Key(
          c.provider(),
          c.operation(),
          c.requestModel(),
          e.serverAddress,
          e.serverPort,
          c.hostingRegion());
    }

    Attributes attributes() {
      if (attributes == null) {
        AttributesBuilder b = Attributes.builder();
        put(b, LlmMetrics.PROVIDER, provider);
        put(b, LlmMetrics.OPERATION, operation);
        put(b, LlmMetrics.REQUEST_MODEL, model);
        put(b, LlmMetrics.SERVER_ADDRESS, serverAddress);
        if (serverPort > 0) {
          b.put(LlmMetrics.SERVER_PORT, (long) serverPort);
        }
        put(b, HOSTING_REGION, region);
        attributes = b.build();
      }
      return attributes;
    }

    private static void put(AttributesBuilder b, AttributeKey<String> key, String value) {
      if (value != null && !value.isEmpty()) {
        b.put(key, value);
      }
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return serverPort == k.serverPort
          && Objects.equals(provider, k.provider)
          && Objects.equals(operation, k.operation)
          && Objects.equals(model, k.model)
          && Objects.equals(serverAddress, k.serverAddress)
          && Objects.equals(region, k.region);
    }

    @Override
    public int hashCode() {
      return Objects.hash(provider, operation, model, serverAddress, serverPort, region);
    }
  }
}
