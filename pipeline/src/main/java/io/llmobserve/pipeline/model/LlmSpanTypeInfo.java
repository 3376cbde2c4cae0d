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
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Explicit type information for {@link LlmSpan}: every call crosses several shuffles (label
 * limiter, windows, route windows, event detectors), and Flink's POJO serializer reads and writes
 * each field through reflection with a null flag per field. This one writes the fields in a fixed
 * order, strings as a length and their UTF-8 bytes (labels are ASCII: one array copy each way).
 * LlmSpan is not kept in keyed state, so the layout only has to agree between the two ends of a
 * shuffle.
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
    return Serializer.INSTANCE;
  }

  private static final int STREAM = 1;
  private static final int INPUT_ESTIMATED = 2;
  private static final int OUTPUT_ESTIMATED = 4;

  static void write(LlmSpan s, DataOutputView out) throws IOException {
    writeString(s.service, out);
    writeString(s.provider, out);
    writeString(s.operation, out);
    writeString(s.model, out);
    writeString(s.region, out);
    writeString(s.requestModel, out);
    writeString(s.responseModel, out);
    writeString(s.systemFingerprint, out);
    writeString(s.hostingProvider, out);
    writeString(s.edgePop, out);
    writeString(s.serverAddress, out);
    writeString(s.errorType, out);
    writeString(s.outcome, out);
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
    if (s == null) {
      out.writeByte(0);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int n = b.length + 1;
    while ((n & ~0x7f) != 0) {
      out.writeByte((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.writeByte(n);
    out.write(b);
  }

  static String readString(DataInputView in) throws IOException {
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
    byte[] b = new byte[n - 1];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  static LlmSpan read(DataInputView in) throws IOException {
    LlmSpan s = new LlmSpan();
    s.service = readString(in);
    s.provider = readString(in);
    s.operation = readString(in);
    s.model = readString(in);
    s.region = readString(in);
    s.requestModel = readString(in);
    s.responseModel = readString(in);
    s.systemFingerprint = readString(in);
    s.hostingProvider = readString(in);
    s.edgePop = readString(in);
    s.serverAddress = readString(in);
    s.errorType = readString(in);
    s.outcome = readString(in);
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

  /** The one serializer of {@link LlmSpan}. */
  public static final class Serializer extends TypeSerializerSingleton<LlmSpan> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    private Serializer() {}

    @Override
    public boolean isImmutableType() {
      return false;
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
      write(s, out);
    }

    @Override
    public LlmSpan deserialize(DataInputView in) throws IOException {
      return read(in);
    }

    @Override
    public LlmSpan deserialize(LlmSpan reuse, DataInputView in) throws IOException {
      return read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
      write(read(in), out);
    }

    @Override
    public TypeSerializerSnapshot<LlmSpan> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  /** Serializer snapshot (for completeness: LlmSpan is not kept in state). */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<LlmSpan> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
