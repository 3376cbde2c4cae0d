package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Responses the app walks away from still end their span, once, with an error.type saying why. */
class AbandonWatchTest {
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final Duration IDLE = Duration.ofMinutes(10);

  @Test
  void aBodyDroppedUnreadEndsTheSpanAsAbandonedOnce() throws Exception {
    AbandonWatch watch = new AbandonWatch(0); // reachability only, no idle deadline
    try (TestTelemetry t = new TestTelemetry(watch)) {
      LlmExchange exchange = t.startChat();
      exchange.responseHeaders(200, name -> null);
      watchABodyAndDropIt(exchange);

      Gc.gcUntil(
          "span ended after the body was collected",
          () -> !t.spans.getFinishedSpanItems().isEmpty());
      exchange.end(); // a late end changes nothing
      exchange.fail("late");
      assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
      SpanData span = t.spans.getFinishedSpanItems().get(0);
      assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(AbandonWatch.ABANDONED);
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(watch.bodyWatchedCount()).isZero();
    }
  }

  private static void watchABodyAndDropIt(LlmExchange exchange) {
    exchange.watchBody(new Object());
  }

  @Test
  void aBodyStillHeldIsNotAbandonedAndANormalEndForgetsIt() throws Exception {
    AbandonWatch watch = new AbandonWatch(0);
    try (TestTelemetry t = new TestTelemetry(watch)) {
      LlmExchange exchange = t.startChat();
      exchange.responseHeaders(200, name -> null);
      Object body = new Object();
      exchange.watchBody(body);
      Gc.holdsThroughGc(
          "span open while its body is held", () -> t.spans.getFinishedSpanItems().isEmpty());
      assertThat(watch.bodyWatchedCount()).isEqualTo(1);
      Reference.reachabilityFence(body);

      exchange.end();
      assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
      assertThat(t.spans.getFinishedSpanItems().get(0).getAttributes().get(ERROR_TYPE)).isNull();
      assertThat(watch.bodyWatchedCount()).isZero();
    }
  }

  @Test
  void anIdleBodyEndsAtTheDeadline() throws Exception {
    AbandonWatch watch = new AbandonWatch(300);
    try (TestTelemetry t = new TestTelemetry(watch)) {
      LlmExchange exchange = t.startChat();
      assertThat(watch.idleWatchedCount()).isEqualTo(1); // from the start of the call
      exchange.responseHeaders(200, name -> null);
      // the watch's own thread sweeps in real time: this proves it runs
      await("the watch's sweep ends the idle call")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !t.spans.getFinishedSpanItems().isEmpty());
      assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
      assertThat(t.spans.getFinishedSpanItems().get(0).getAttributes().get(ERROR_TYPE))
          .isEqualTo(AbandonWatch.IDLE_TIMEOUT);
      assertThat(watch.idleWatchedCount()).isZero();
    }
  }

  // The deadline tests below sweep at chosen instants (sweepIdle takes the time) with a timeout the
  // watch's own thread never reaches during the test: no waiting, exact to the nanosecond.

  @Test
  void aBodyWithActivityIsNotIdleAndLateBytesAreIgnoredAfterTheEnd() {
    AbandonWatch watch = new AbandonWatch(IDLE.toMillis());
    try (TestTelemetry t = new TestTelemetry(watch)) {
      LlmExchange exchange = t.startChat();
      exchange.responseHeaders(200, name -> null);
      byte[] chunk =
          "data: {\"id\":\"c1\",\"model\":\"m-1\",\"choices\":[]}\n\n"
              .getBytes(StandardCharsets.UTF_8);
      long firstDeadline = exchange.lastActivityNanos() + IDLE.toNanos();
      watch.sweepIdle(firstDeadline - 1);
      assertThat(t.spans.getFinishedSpanItems()).as("idle for just under the timeout").isEmpty();

      long before = exchange.lastActivityNanos();
      exchange.responseBody(ByteBuffer.wrap(chunk));
      assertThat(exchange.lastActivityNanos()).isGreaterThan(before);
      watch.sweepIdle(firstDeadline); // the first deadline has passed, but bytes came since
      assertThat(t.spans.getFinishedSpanItems()).as("activity moves the deadline").isEmpty();

      exchange.end();
      exchange.responseBody(ByteBuffer.wrap(chunk));
      watch.sweepIdle(exchange.lastActivityNanos() + 2 * IDLE.toNanos());
      assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
      assertThat(t.spans.getFinishedSpanItems().get(0).getAttributes().get(ERROR_TYPE)).isNull();
      assertThat(watch.idleWatchedCount()).isZero();
    }
  }

  @Test
  void anIdleCallEndsExactlyAtItsDeadline() {
    AbandonWatch watch = new AbandonWatch(IDLE.toMillis());
    try (TestTelemetry t = new TestTelemetry(watch)) {
      LlmExchange exchange = t.startChat();
      exchange.responseHeaders(200, name -> null);
      long deadline = exchange.lastActivityNanos() + IDLE.toNanos();
      watch.sweepIdle(deadline - 1);
      assertThat(t.spans.getFinishedSpanItems()).isEmpty();
      watch.sweepIdle(deadline);
      assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
      assertThat(t.spans.getFinishedSpanItems().get(0).getAttributes().get(ERROR_TYPE))
          .isEqualTo(AbandonWatch.IDLE_TIMEOUT);
      assertThat(watch.idleWatchedCount()).isZero();
    }
  }

  @Test
  void theDeadlineEndsACallThatNeverGotAnswerEvenWhileItsEndIsHeld() {
    AbandonWatch watch = new AbandonWatch(IDLE.toMillis());
    try (TestTelemetry t = new TestTelemetry(watch)) {
      LlmExchange exchange = t.startChat();
      exchange.holdEnd(); // as a JDK send / sendAsync does until it returns / its future completes
      watch.sweepIdle(exchange.lastActivityNanos() + IDLE.toNanos());
      assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
      assertThat(t.spans.getFinishedSpanItems().get(0).getAttributes().get(ERROR_TYPE))
          .isEqualTo(AbandonWatch.IDLE_TIMEOUT);
      exchange.responseHeaders(200, name -> null); // a late answer changes nothing
      exchange.releaseEnd();
      assertThat(t.spans.getFinishedSpanItems()).hasSize(1);
    }
  }

  @Test
  void watchedCallsAreBoundedAndLeaveAtTheirEnd() {
    AbandonWatch watch = new AbandonWatch(60_000, 2);
    try (TestTelemetry t = new TestTelemetry(watch)) {
      LlmExchange a = t.startChat();
      LlmExchange b = t.startChat();
      LlmExchange c = t.startChat(); // over the bound: not watched, still observed
      assertThat(watch.idleWatchedCount()).isEqualTo(2);
      Object bodyA = new Object();
      Object bodyB = new Object();
      Object bodyC = new Object();
      a.watchBody(bodyA);
      b.watchBody(bodyB);
      c.watchBody(bodyC);
      assertThat(watch.bodyWatchedCount()).isEqualTo(2);
      a.end();
      b.fail("x");
      c.end();
      assertThat(watch.idleWatchedCount()).isZero();
      assertThat(watch.bodyWatchedCount()).isZero();
      assertThat(t.spans.getFinishedSpanItems()).hasSize(3);
      Reference.reachabilityFence(bodyA);
      Reference.reachabilityFence(bodyB);
      Reference.reachabilityFence(bodyC);
    }
  }

  @Test
  void noDeadlineMeansIdleExchangesAreNotRetained() {
    AbandonWatch watch = new AbandonWatch(0);
    try (TestTelemetry t = new TestTelemetry(watch)) {
      t.startChat().responseHeaders(200, name -> null);
      assertThat(watch.idleWatchedCount()).isZero();
    }
  }
}
