package io.llmobserve.pipeline.limits;

import static io.llmobserve.pipeline.bench.OtlpPayloads.call;
import static io.llmobserve.pipeline.bench.OtlpPayloads.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.management.ThreadMXBean;
import io.llmobserve.pipeline.limits.OtlpWireScanner.Verdict;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

public class OtlpWireScannerTest {
  private static final RequestLimits LIMITS = RequestLimits.defaults();

  /** The attack: empty spans encode in 2 bytes each (field 2, length 0). */
  public static byte[] emptySpans(int n) {
    // ResourceSpans{ScopeSpans{Span{} x n}}
    ByteArrayOutputStream spans = new ByteArrayOutputStream(2 * n);
    for (int i = 0; i < n; i++) {
      spans.write(0x12);
      spans.write(0x00);
    }
    byte[] scopeSpans = wrap(0x12, spans.toByteArray()); // ResourceSpans.scope_spans
    return wrap(0x0a, scopeSpans); // ExportTraceServiceRequest.resource_spans
  }

  static byte[] wrap(int tag, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 6);
    out.write(tag);
    int len = body.length;
    while (len >= 0x80) {
      out.write((len & 0x7f) | 0x80);
      len >>>= 7;
    }
    out.write(len);
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void countsARealRequest() {
    long now = System.currentTimeMillis();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      spans.add(call("openai", "gpt-4o", now, 1).tokens(10, 2).build());
    }
    OtlpWireScanner.Result r = OtlpWireScanner.scan(request("svc", spans).toByteArray(), LIMITS);
    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.spans()).isEqualTo(20);
    assertThat(r.attributes()).isEqualTo(1 + 20 * 6); // service.name + 4 gen_ai + 2 token counts
  }

  @Test
  void millionsOfEmptySpansAreRefusedWithoutAllocatingThem() {
    byte[] bomb = emptySpans(8_000_000); // 16 MB, what 15.6 KB of gzip expands to
    long before = allocated();
    long t0 = System.nanoTime();
    OtlpWireScanner.Result r = OtlpWireScanner.scan(bomb, LIMITS);
    long micros = (System.nanoTime() - t0) / 1000;
    long bytes = allocated() - before;
    System.out.printf(
        "8M empty spans (16 MB): %s after %d us, %d bytes allocated%n", r.verdict(), micros, bytes);
    assertThat(r.verdict()).isEqualTo(Verdict.TOO_MANY_SPANS);
    assertThat(r.spans()).isEqualTo(LIMITS.maxSpans() + 1); // stopped at the limit
    assertThat(bytes).isLessThan(1 << 20);
  }

  private static long allocated() {
    return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Test
  void limitsEachDimension() {
    RequestLimits small = new RequestLimits(5, 10, 30, 2, 10);
    assertThat(OtlpWireScanner.scan(emptySpans(6), small).verdict())
        .isEqualTo(Verdict.TOO_MANY_SPANS);
    Span.Builder s = Span.newBuilder();
    for (int i = 0; i < 11; i++) {
      s.addAttributes(KeyValue.newBuilder().setKey("k" + i));
    }
    assertThat(scan(s, small)).isEqualTo(Verdict.TOO_MANY_ATTRIBUTES);
    AnyValue v = AnyValue.newBuilder().setStringValue("x").build();
    for (int i = 0; i < 3; i++) {
      v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
    }
    assertThat(
            scan(
                Span.newBuilder().addAttributes(KeyValue.newBuilder().setKey("deep").setValue(v)),
                small))
        .isEqualTo(Verdict.TOO_DEEP);
    Span.Builder events = Span.newBuilder();
    for (int i = 0; i < 40; i++) {
      events.addEvents(Span.Event.newBuilder().setName("e"));
    }
    assertThat(scan(events, small)).isEqualTo(Verdict.TOO_MANY_ELEMENTS);
  }

  private static Verdict scan(Span.Builder span, RequestLimits limits) {
    return OtlpWireScanner.scan(request("svc", List.of(span.build())).toByteArray(), limits)
        .verdict();
  }

  /**
   * Accepted by the scanner => parsed by protobuf-java (so the receiver can answer 200 from the
   * scan).
   */
  @Test
  void agreesWithTheProtobufParserOnCorruptedInput() {
    long now = System.currentTimeMillis();
    byte[] good =
        request(
                "svc",
                List.of(
                    call("openai", "gpt-4o", now, 1).tokens(10, 2).str("x", "héllo").build(),
                    call("anthropic", "claude", now, 2).build()))
            .toByteArray();
    Random rnd = new Random(42);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] b = good.clone();
      int flips = 1 + rnd.nextInt(3);
      for (int f = 0; f < flips; f++) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      }
      byte[] input = rnd.nextInt(4) == 0 ? Arrays.copyOf(b, rnd.nextInt(b.length)) : b;
      if (OtlpWireScanner.scan(input, LIMITS).ok()) {
        accepted++;
        try {
          ExportTraceServiceRequest.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("scanner accepted what protobuf rejects: " + e.getMessage());
        }
      }
    }
    assertThat(accepted).isGreaterThan(100);
  }

  @Test
  void utf8Validation() {
    byte[] ok = "héllo €𝄞".getBytes(StandardCharsets.UTF_8);
    assertThat(OtlpWireScanner.validUtf8(ok, 0, ok.length)).isTrue();
    assertThat(OtlpWireScanner.validUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF}, 0, 2))
        .isFalse(); // overlong
    assertThat(OtlpWireScanner.validUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3))
        .isFalse(); // surrogate
    assertThat(
            OtlpWireScanner.validUtf8(
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4))
        .isFalse();
    assertThat(OtlpWireScanner.validUtf8(new byte[] {(byte) 0xE2, (byte) 0x82}, 0, 2))
        .isFalse(); // truncated
  }
}
