package io.llmobserve.pipeline.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Explicit type information for {@link LlmSpan}: every call crosses several shuffles (label
 * limiter, windows, route windows, event detectors), and Flink's POJO serializer reads and writes
 * each field through reflection with a null flag per field. This one writes the fields in a fixed
 * order, strings as a length and their UTF-8 bytes (labels are ASCII: one array copy each way).
 * LlmSpan is not kept in keyed state, so the layout only has to agree between the two ends of a
 * shuffle. Label values are encoded and decoded through a per-task {@link StringCache}.
 *
 * <p>A field added to LlmSpan must be added to {@link #write} and {@link #read}: {@code
 * LlmSpanTypeInfoTest} fails otherwise.
 */
public final class LlmSpanTypeInfo extends OpaqueTypeInfo<LlmSpan> {
  private static final long serialVersionUID = 1L;

  /** Picked up through the @TypeInfo annotation on LlmSpan. */
  public static final class Factory extends TypeInfoFactory<LlmSpan> {
    @Override
    public TypeInformation<LlmSpan> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
      return new LlmSpanTypeInfo();
    }
  }

  public LlmSpanTypeInfo() {
    super(LlmSpan.class);
  }

  @Override
  protected TypeSerializer<LlmSpan> serializer() {
    return new Serializer();
  }

  private static final int STREAM = 1;
  private static final int INPUT_ESTIMATED = 2;
  private static final int OUTPUT_ESTIMATED = 4;

  static void write(LlmSpan s, DataOutputView out) throws IOException {
    write(s, out, null);
  }

  public static void write(LlmSpan s, DataOutputView out, StringCache strings) throws IOException {
    writeString(s.service, out, strings);
    writeString(s.provider, out, strings);
    writeString(s.operation, out, strings);
    writeString(s.model, out, strings);
    writeString(s.region, out, strings);
    writeString(s.requestModel, out, strings);
    writeString(s.responseModel, out, strings);
    writeString(s.systemFingerprint, out, strings);
    writeString(s.hostingProvider, out, strings);
    writeString(s.edgePop, out, strings);
    writeString(s.serverAddress, out, strings);
    writeString(s.errorType, out, strings);
    writeString(s.outcome, out, strings);
    out.writeInt(s.statusCode);
    out.writeByte(
        (s.stream ? STREAM : 0)
            | (s.inputTokensEstimated ? INPUT_ESTIMATED : 0)
            | (s.outputTokensEstimated ? OUTPUT_ESTIMATED : 0));
    out.writeLong(s.inputTokens);
    out.writeLong(s.outputTokens);
    out.writeLong(s.cacheReadTokens);
    out.writeLong(s.cacheCreationTokens);
    out.writeLong(s.reasoningTokens);
    out.writeDouble(s.durationSeconds);
    out.writeDouble(s.ttftSeconds);
    out.writeDouble(s.serverProcessingSeconds);
    out.writeLong(s.remainingTokens);
    out.writeLong(s.remainingRequests);
    out.writeLong(s.limitTokens);
    out.writeDouble(s.costUsd);
    out.writeLong(s.startEpochNanos);
    out.writeLong(s.endEpochNanos);
  }

  /** Length + 1 as a varint (0 = null), then the UTF-8 bytes. */
  static void writeString(String s, DataOutputView out) throws IOException {
    writeString(s, out, null);
  }

  static void writeString(String s, DataOutputView out, StringCache strings) throws IOException {
    if (s == null) {
      out.writeByte(0);
      return;
    }
    byte[] b = strings != null ? strings.encode(s) : s.getBytes(StandardCharsets.UTF_8);
    int n = b.length + 1;
    while ((n & ~0x7f) != 0) {
      out.writeByte((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.writeByte(n);
    out.write(b);
  }

  static String readString(DataInputView in) throws IOException {
    return readString(in, null, null);
  }

  /**
   * @param strings decodes short values to the same instance each time (null: fresh Strings)
   * @param scratch at least {@link StringCache#MAX_BYTES} long, when {@code strings} is given
   */
  static String readString(DataInputView in, StringCache strings, byte[] scratch)
      throws IOException {
    int n = 0;
    for (int shift = 0; ; shift += 7) {
      int x = in.readByte();
      n |= (x & 0x7f) << shift;
      if (x >= 0) {
        break;
      }
      if (shift > 28) {
        throw new IOException("corrupt string length");
      }
    }
    if (n == 0) {
      return null;
    }
    if (strings != null && n - 1 <= StringCache.MAX_BYTES) {
      in.readFully(scratch, 0, n - 1);
      return strings.decode(scratch, 0, n - 1);
    }
    byte[] b = new byte[n - 1];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  static LlmSpan read(DataInputView in) throws IOException {
    return read(in, null, null);
  }

  public static LlmSpan read(DataInputView in, StringCache strings, byte[] scratch)
      throws IOException {
    LlmSpan s = new LlmSpan();
    s.service = readString(in, strings, scratch);
    s.provider = readString(in, strings, scratch);
    s.operation = readString(in, strings, scratch);
    s.model = readString(in, strings, scratch);
    s.region = readString(in, strings, scratch);
    s.requestModel = readString(in, strings, scratch);
    s.responseModel = readString(in, strings, scratch);
    s.systemFingerprint = readString(in, strings, scratch);
    s.hostingProvider = readString(in, strings, scratch);
    s.edgePop = readString(in, strings, scratch);
    s.serverAddress = readString(in, strings, scratch);
    s.errorType = readString(in, strings, scratch);
    s.outcome = readString(in, strings, scratch);
    s.statusCode = in.readInt();
    int flags = in.readByte();
    s.stream = (flags & STREAM) != 0;
    s.inputTokensEstimated = (flags & INPUT_ESTIMATED) != 0;
    s.outputTokensEstimated = (flags & OUTPUT_ESTIMATED) != 0;
    s.inputTokens = in.readLong();
    s.outputTokens = in.readLong();
    s.cacheReadTokens = in.readLong();
    s.cacheCreationTokens = in.readLong();
    s.reasoningTokens = in.readLong();
    s.durationSeconds = in.readDouble();
    s.ttftSeconds = in.readDouble();
    s.serverProcessingSeconds = in.readDouble();
    s.remainingTokens = in.readLong();
    s.remainingRequests = in.readLong();
    s.limitTokens = in.readLong();
    s.costUsd = in.readDouble();
    s.startEpochNanos = in.readLong();
    s.endEpochNanos = in.readLong();
    return s;
  }

  /**
   * The serializer of {@link LlmSpan}. Not stateless: it decodes label values through its own
   * {@link StringCache} (the same String instances call after call: no allocation, hashes cached),
   * so each task gets its own ({@link #duplicate}).
   */
  public static final class Serializer extends TypeSerializer<LlmSpan> {
    private static final long serialVersionUID = 1L;

    private transient StringCache strings;
    private transient byte[] scratch;

    public Serializer() {}

    private StringCache strings() {
      if (strings == null) {
        strings = new StringCache();
        scratch = new byte[StringCache.MAX_BYTES];
      }
      return strings;
    }

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public TypeSerializer<LlmSpan> duplicate() {
      return new Serializer();
    }

    @Override
    public LlmSpan createInstance() {
      return new LlmSpan();
    }

    @Override
    public LlmSpan copy(LlmSpan from) {
      return from.copy();
    }

    @Override
    public LlmSpan copy(LlmSpan from, LlmSpan reuse) {
      return from.copy();
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(LlmSpan s, DataOutputView out) throws IOException {
      write(s, out, strings());
    }

    @Override
    public LlmSpan deserialize(DataInputView in) throws IOException {
      return read(in, strings(), scratch);
    }

    @Override
    public LlmSpan deserialize(LlmSpan reuse, DataInputView in) throws IOException {
      return read(in, strings(), scratch);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
      write(read(in, strings(), scratch), out, strings);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Serializer;
    }

    @Override
    public int hashCode() {
      return Serializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<LlmSpan> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  /** Serializer snapshot (for completeness: LlmSpan is not kept in state). */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<LlmSpan> {
    public Snapshot() {
      super(Serializer::new);
    }
  }
}
