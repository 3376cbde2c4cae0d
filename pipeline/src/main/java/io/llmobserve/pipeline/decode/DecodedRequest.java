package io.llmobserve.pipeline.decode;

import io.llmobserve.pipeline.model.LlmSpan;
import io.llmobserve.pipeline.model.LlmSpanTypeInfo;
import io.llmobserve.pipeline.model.StringCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * An OTLP trace request as the embedded receiver keeps it: the LLM calls it carries, in the job's
 * own binary form ({@link LlmSpanTypeInfo}), and the counts its decoding reported (spans received,
 * spans dropped by reason). The receiver decodes each request once, before it answers; its log then
 * holds these instead of the request until a checkpoint covers them. The spans the job never reads
 * (HTTP, JDBC, ... : most of an application's spans) are not kept at all, and an LLM call takes
 * about half its OTLP size, so the log holds several times more calls per byte.
 */
public final class DecodedRequest {
  /** First byte of every entry: a reader rejects what it was not written for. */
  private static final byte FORMAT = 1;

  private static final SpanMapper.Skip[] SKIPS = SpanMapper.Skip.values();

  private DecodedRequest() {}

  /**
   * Decodes an ExportTraceServiceRequest (protobuf) into an entry.
   *
   * @param strings label values and keys through one cache (the caller's thread's own)
   * @throws RuntimeException when the request is malformed
   */
  public static byte[] encode(byte[] otlp, StringCache strings) {
    List<LlmSpan> calls = new ArrayList<>();
    long[] dropped = new long[SKIPS.length];
    long received = WireSpanDecoder.decode(otlp, strings, calls::add, s -> dropped[s.ordinal()]++);
    // An LLM call serializes to ~250 bytes; one allocation in the common case.
    DataOutputSerializer out = new DataOutputSerializer(32 + calls.size() * 288);
    try {
      out.writeByte(FORMAT);
      out.writeLong(received);
      for (long d : dropped) {
        out.writeLong(d);
      }
      out.writeInt(calls.size());
      for (LlmSpan c : calls) {
        LlmSpanTypeInfo.write(c, out, strings);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // DataOutputSerializer grows; it never fails
    }
    return out.getCopyOfBuffer();
  }

  /**
   * Emits an entry's calls and reports its drop counts.
   *
   * @param scratch at least {@link StringCache#MAX_BYTES} long
   * @return the number of spans the request carried
   */
  public static long read(
      byte[] entry,
      StringCache strings,
      byte[] scratch,
      Consumer<LlmSpan> calls,
      ObjLongConsumer<SpanMapper.Skip> dropped)
      throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(entry);
    if (in.readByte() != FORMAT) {
      throw new IOException("not a decoded request (format " + entry[0] + ")");
    }
    long received = in.readLong();
    for (SpanMapper.Skip s : SKIPS) {
      long n = in.readLong();
      if (n > 0) {
        dropped.accept(s, n);
      }
    }
    for (int n = in.readInt(); n > 0; n--) {
      calls.accept(LlmSpanTypeInfo.read(in, strings, scratch));
    }
    return received;
  }
}
