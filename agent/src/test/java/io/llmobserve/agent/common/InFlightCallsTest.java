package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.providers.LlmCall;
import io.llmobserve.providers.LlmEndpoint;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** gen_ai.client.operation.active / oldest_age: what the collection callback reports. */
class InFlightCallsTest {
  private static final byte[] REQUEST =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  private final TestTelemetry t = new TestTelemetry();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void callsInFlightAreCountedPerKeyWithTheOldestAgeAndReportZeroOnceEnded() throws Exception {
    LlmExchange first = t.startChat();
    first.requestBody(REQUEST, 0, REQUEST.length);
    LlmExchange second = t.startChat();
    second.requestBody(REQUEST, 0, REQUEST.length);
    LlmExchange unknownModel = t.startChat(); // no body yet: request model unknown

    Collection<MetricData> m = t.metrics.collectAllMetrics();
    Attributes gpt4o =
        Attributes.builder()
            .put("gen_ai.provider.name", "test-llm")
            .put("gen_ai.operation.name", "chat")
            .put("gen_ai.request.model", "gpt-4o")
            .put("server.address", "llm.test")
            .put("server.port", 8000L)
            .build();
    Attributes noModel =
        Attributes.builder()
            .put("gen_ai.provider.name", "test-llm")
            .put("gen_ai.operation.name", "chat")
            .put("server.address", "llm.test")
            .put("server.port", 8000L)
            .build();
    assertThat(active(m)).containsEntry(gpt4o, 2L).containsEntry(noModel, 1L);
    assertThat(oldest(m).get(gpt4o)).isGreaterThanOrEqualTo(0.0).isLessThan(60);
    MetricData activeMetric = metric(m, InFlightCalls.ACTIVE);
    assertThat(activeMetric.getUnit()).isEqualTo("{call}");
    assertThat(activeMetric.getLongSumData().isMonotonic()).isFalse();
    assertThat(metric(m, InFlightCalls.OLDEST_AGE).getUnit()).isEqualTo("s");

    first.end();
    second.fail(new IOException("reset"));
    unknownModel.end();
    m = t.metrics.collectAllMetrics();
    assertThat(active(m)).containsEntry(gpt4o, 0L).containsEntry(noModel, 0L);
    assertThat(oldest(m)).containsEntry(gpt4o, 0.0);
  }

  @Test
  void regionIsReportedOnceResponseHeadersNameIt() {
    LlmExchange call = t.startChat();
    call.requestBody(REQUEST, 0, REQUEST.length);
    Map<String, String> headers =
        Map.of("content-type", "text/event-stream", "x-ms-region", "East US 2");
    call.responseHeaders(200, headers::get);
    Collection<MetricData> m = t.metrics.collectAllMetrics();
    assertThat(active(m).keySet())
        .anySatisfy(
            a ->
                assertThat(a.get(AttributeKey.stringKey("llm.hosting.region")))
                    .isEqualTo("East US 2"));
    call.end();
  }

  @Test
  void ageIsReadFromTheClockOnlyAtCollection() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    InFlightCalls calls = new InFlightCalls(null, now::get);
    var call = new LlmCall(new LlmEndpoint("openai", "chat"), 0, false);
    InFlightCalls.Entry e = calls.register(call, "api.openai.com", 443, 400_000_000L);
    now.set(3_400_000_000L);
    Map<Attributes, double[]> measured = calls.measure();
    assertThat(measured.values())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v[0]).isEqualTo(1);
              assertThat(v[1]).isEqualTo(3.0);
            });
    InFlightCalls.unregister(e);
    InFlightCalls.unregister(e); // twice is fine
    InFlightCalls.unregister(null);
    assertThat(calls.size()).isZero();
    assertThat(calls.measure().values()).singleElement().satisfies(v -> assertThat(v[0]).isZero());
    // a key idle for longer than the retention is forgotten
    now.addAndGet(InFlightCalls.ZERO_RETENTION_NANOS + 1);
    assertThat(calls.measure()).isEmpty();
  }

  @Test
  void concurrentStartsAndEndsLeaveNothingBehind() throws Exception {
    InFlightCalls calls = new InFlightCalls(null, System::nanoTime);
    var endpoint = new LlmEndpoint("openai", "chat");
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                List<InFlightCalls.Entry> mine = new ArrayList<>();
                for (int j = 0; j < 20_000; j++) {
                  mine.add(calls.register(new LlmCall(endpoint, j, false), "h", 1, j));
                  if (mine.size() > 16) {
                    InFlightCalls.unregister(mine.remove(j % mine.size()));
                  }
                }
                mine.forEach(InFlightCalls::unregister);
              });
      w.start();
      workers.add(w);
    }
    go.countDown();
    for (int i = 0; i < 50; i++) {
      calls.measure(); // collection concurrent with the hot path
    }
    for (Thread w : workers) {
      w.join();
    }
    assertThat(calls.size()).isZero();
  }

  private static MetricData metric(Collection<MetricData> m, String name) {
    return m.stream().filter(d -> d.getName().equals(name)).findFirst().orElseThrow();
  }

  private static Map<Attributes, Long> active(Collection<MetricData> m) {
    Map<Attributes, Long> out = new HashMap<>();
    for (LongPointData p : metric(m, InFlightCalls.ACTIVE).getLongSumData().getPoints()) {
      out.put(p.getAttributes(), p.getValue());
    }
    return out;
  }

  private static Map<Attributes, Double> oldest(Collection<MetricData> m) {
    Map<Attributes, Double> out = new HashMap<>();
    for (DoublePointData p : metric(m, InFlightCalls.OLDEST_AGE).getDoubleGaugeData().getPoints()) {
      out.put(p.getAttributes(), p.getValue());
    }
    return out;
  }
}
