package io.llmobserve.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.testsupport.CloseAfterEach;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SpanValidatorTest {
  // every operator harness a test opens is closed after it, passed or failed
  @RegisterExtension final CloseAfterEach closer = new CloseAfterEach();

  private final SpanValidator validator =
      new SpanValidator(Duration.ofHours(1), Duration.ofMinutes(10));
  private final long now = System.currentTimeMillis();

  private LlmSpan span() {
    LlmSpan s = new LlmSpan();
    s.provider = "openai";
    s.service = "svc";
    s.model = "gpt-4o";
    s.region = "unknown";
    s.operation = "chat";
    s.endEpochNanos = now * 1_000_000L;
    s.startEpochNanos = s.endEpochNanos - 2_000_000_000L;
    s.inputTokens = 10;
    return s;
  }

  @Test
  void acceptsAGoodSpan() {
    assertThat(validator.rejectReason(span(), now)).isNull();
  }

  @Test
  void rejectsWithReasons() {
    LlmSpan noProvider = span();
    noProvider.provider = null;
    LlmSpan negTokens = span();
    negTokens.outputTokens = -5;
    LlmSpan tooLong = span();
    tooLong.startEpochNanos = tooLong.endEpochNanos - Duration.ofHours(2).toNanos();
    LlmSpan backwards = span();
    backwards.startEpochNanos = backwards.endEpochNanos + 1;
    LlmSpan future = span();
    future.endEpochNanos += Duration.ofHours(1).toNanos();
    future.startEpochNanos += Duration.ofHours(1).toNanos();
    LlmSpan noTime = span();
    noTime.startEpochNanos = 0;
    assertThat(validator.rejectReason(noProvider, now)).isEqualTo("missing_provider");
    assertThat(validator.rejectReason(negTokens, now)).isEqualTo("negative_tokens");
    assertThat(validator.rejectReason(tooLong, now)).isEqualTo("absurd_duration");
    assertThat(validator.rejectReason(backwards, now)).isEqualTo("negative_duration");
    assertThat(validator.rejectReason(future, now)).isEqualTo("future_timestamp");
    assertThat(validator.rejectReason(noTime, now)).isEqualTo("missing_timestamp");
  }

  @Test
  void badOptionalValuesAreClearedNotRejected() {
    LlmSpan s = span();
    s.ttftSeconds = -1;
    s.serverProcessingSeconds = 1e9;
    assertThat(validator.rejectReason(s, now)).isNull();
    assertThat(validator.dropImplausible(s)).isEqualTo("implausible_duration");
    assertThat(s.ttftSeconds).isNaN();
    assertThat(s.serverProcessingSeconds).isNaN();
  }

  @Test
  void countsRejectionsOnTheHealthOutputAndBoundsLabels() throws Exception {
    var h =
        closer.register(new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(validator)));
    h.open();
    LlmSpan bad = span();
    bad.provider = "";
    LlmSpan longModel = span();
    longModel.model = "m".repeat(500) + "\n";
    h.processElement(new StreamRecord<>(bad));
    h.processElement(new StreamRecord<>(longModel));
    assertThat(h.extractOutputValues())
        .singleElement()
        .satisfies(s -> assertThat(s.model).hasSize(SpanValidator.MAX_LABEL_LENGTH));
    assertThat(h.getSideOutput(HealthTags.HEALTH))
        .extracting(r -> r.getValue().toString())
        .containsExactly("llm_pipeline_spans_rejected{reason=missing_provider}+1");
  }
}
