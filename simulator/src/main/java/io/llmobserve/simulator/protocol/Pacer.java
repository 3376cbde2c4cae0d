package io.llmobserve.simulator.protocol;

import io.llmobserve.simulator.engine.CallPlan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays a stream out in time: the first event after TTFT (plus network tax), each paced event one
 * chunk interval later, "immediate" events glued to the previous write. A latency spike is spread
 * over the gaps.
 */
final class Pacer {
  private final CallPlan plan;
  private final List<byte[]> bodies = new ArrayList<>();
  private final List<Boolean> paced = new ArrayList<>();

  Pacer(CallPlan plan) {
    this.plan = plan;
  }

  /** A new write, one chunk interval after the previous one (the first write waits for TTFT). */
  Pacer paced(String event) {
    return paced(event.getBytes(StandardCharsets.UTF_8));
  }

  Pacer paced(byte[] event) {
    bodies.add(event);
    paced.add(Boolean.TRUE);
    return this;
  }

  /** Sent in the same write as the previous event. */
  Pacer immediate(String event) {
    return immediate(event.getBytes(StandardCharsets.UTF_8));
  }

  Pacer immediate(byte[] add) {
    if (bodies.isEmpty()) {
      return paced(add);
    }
    byte[] prev = bodies.get(bodies.size() - 1);
    byte[] joined = new byte[prev.length + add.length];
    System.arraycopy(prev, 0, joined, 0, prev.length);
    System.arraycopy(add, 0, joined, prev.length, add.length);
    bodies.set(bodies.size() - 1, joined);
    return this;
  }

  void into(Reply reply) {
    int gaps = Math.max(0, bodies.size() - 1);
    long extra = plan.streamExtraMs();
    for (int i = 0; i < bodies.size(); i++) {
      long delay;
      if (i == 0) {
        delay = plan.ttftMs() + plan.persona().extraNetworkMillis() + (gaps == 0 ? extra : 0);
      } else {
        long share = extra / gaps + (i <= extra % gaps ? 1 : 0);
        delay = plan.chunkIntervalMs() + share;
      }
      reply.segments.add(new Reply.Segment(delay, bodies.get(i)));
    }
  }
}
