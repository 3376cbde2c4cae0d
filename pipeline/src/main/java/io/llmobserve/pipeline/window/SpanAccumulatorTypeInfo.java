package io.llmobserve.pipeline.window;

import io.llmobserve.pipeline.model.OpaqueTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Explicit type information for {@link SpanAccumulator}: t-digests go into window state (and
 * checkpoints) in their own compact binary form instead of through Kryo reflection.
 */
public final class SpanAccumulatorTypeInfo extends OpaqueTypeInfo<SpanAccumulator> {
  private static final long serialVersionUID = 1L;

  /** Picked up through the @TypeInfo annotation on SpanAccumulator. */
  public static final class Factory extends TypeInfoFactory<SpanAccumulator> {
    @Override
    public TypeInformation<SpanAccumulator> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> params) {
      return new SpanAccumulatorTypeInfo();
    }
  }

  public SpanAccumulatorTypeInfo() {
    super(SpanAccumulator.class);
  }

  @Override
  protected TypeSerializer<SpanAccumulator> serializer() {
    return Serializer.INSTANCE;
  }

  /**
   * Binary layouts: 1 = up to minRemainingRequests; 2 = + maxLimitTokens. A new layout needs a new
   * {@link #LAYOUT} and a branch in read/write, so checkpoints of the old one still restore
   * (migrated through {@link LegacySerializer}).
   */
  static final int LAYOUT = 3;

  static void write(SpanAccumulator a, DataOutputView out, int layout) throws IOException {
    writeNullable(out, a.service);
    writeNullable(out, a.provider);
    writeNullable(out, a.model);
    writeNullable(out, a.region);
    writeNullable(out, a.operation);
    out.writeLong(a.calls);
    out.writeLong(a.ok);
    out.writeLong(a.error);
    out.writeLong(a.throttled);
    out.writeLong(a.inputTokens);
    out.writeLong(a.outputTokens);
    out.writeLong(a.cacheReadTokens);
    out.writeLong(a.reasoningTokens);
    out.writeDouble(a.costUsd);
    out.writeLong(a.minRemainingTokens);
    out.writeLong(a.minRemainingRequests);
    if (layout >= 2) {
      out.writeLong(a.maxLimitTokens);
    }
    if (layout >= 3) {
      out.writeLong(a.estimatedInputTokens);
      out.writeLong(a.estimatedOutputTokens);
      out.writeDouble(a.estimatedCostUsd);
    }
    SpanAccumulator.writeDigest(a.latency, out);
    SpanAccumulator.writeDigest(a.ttft, out);
    SpanAccumulator.writeDigest(a.overhead, out);
  }

  static SpanAccumulator read(DataInputView in, int layout) throws IOException {
    SpanAccumulator a = new SpanAccumulator();
    a.service = readNullable(in);
    a.provider = readNullable(in);
    a.model = readNullable(in);
    a.region = readNullable(in);
    a.operation = readNullable(in);
    a.calls = in.readLong();
    a.ok = in.readLong();
    a.error = in.readLong();
    a.throttled = in.readLong();
    a.inputTokens = in.readLong();
    a.outputTokens = in.readLong();
    a.cacheReadTokens = in.readLong();
    a.reasoningTokens = in.readLong();
    a.costUsd = in.readDouble();
    a.minRemainingTokens = in.readLong();
    a.minRemainingRequests = in.readLong();
    a.maxLimitTokens = layout >= 2 ? in.readLong() : -1;
    if (layout >= 3) {
      a.estimatedInputTokens = in.readLong();
      a.estimatedOutputTokens = in.readLong();
      a.estimatedCostUsd = in.readDouble();
    }
    a.latency = SpanAccumulator.readDigest(in);
    a.ttft = SpanAccumulator.readDigest(in);
    a.overhead = SpanAccumulator.readDigest(in);
    return a;
  }

  private static void writeNullable(DataOutputView out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String readNullable(DataInputView in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** The current layout ({@link #LAYOUT}). */
  public static final class Serializer extends LayoutSerializer {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    private Serializer() {
      super(LAYOUT);
    }
  }

  /** Reads (and writes) layout 1: the restore serializer of checkpoints taken before layout 2. */
  public static final class LegacySerializer extends LayoutSerializer {
    private static final long serialVersionUID = 1L;
    public static final LegacySerializer INSTANCE = new LegacySerializer();

    private LegacySerializer() {
      super(1);
    }
  }

  /** Reads (and writes) layout 2: the restore serializer of checkpoints taken before layout 3. */
  public static final class Layout2Serializer extends LayoutSerializer {
    private static final long serialVersionUID = 1L;
    public static final Layout2Serializer INSTANCE = new Layout2Serializer();

    private Layout2Serializer() {
      super(2);
    }
  }

  /** One binary layout of the accumulator. */
  abstract static class LayoutSerializer extends TypeSerializerSingleton<SpanAccumulator> {
    private static final long serialVersionUID = 1L;
    private final int layout;

    LayoutSerializer(int layout) {
      this.layout = layout;
    }

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public SpanAccumulator createInstance() {
      return new SpanAccumulator();
    }

    @Override
    public SpanAccumulator copy(SpanAccumulator from) {
      // A byte round trip: exact, and avoids t-digest 3.3's merge path (its internal asserts
      // trip when a digest is added into an empty one while assertions are on).
      try {
        DataOutputSerializer out = new DataOutputSerializer(512);
        serialize(from, out);
        return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public SpanAccumulator copy(SpanAccumulator from, SpanAccumulator reuse) {
      return copy(from);
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(SpanAccumulator a, DataOutputView out) throws IOException {
      write(a, out, layout);
    }

    @Override
    public SpanAccumulator deserialize(DataInputView in) throws IOException {
      return read(in, layout);
    }

    @Override
    public SpanAccumulator deserialize(SpanAccumulator reuse, DataInputView in) throws IOException {
      return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
      serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SpanAccumulator> snapshotConfiguration() {
      return new Snapshot(layout);
    }
  }

  /**
   * Serializer snapshot for checkpoints/savepoints. Its version encodes the layout: versions up to
   * 3 were written by the former SimpleTypeSerializerSnapshot (layout 1, no payload), 4 = layout 2.
   * An older layout restores through {@link LegacySerializer} and is migrated.
   */
  public static final class Snapshot implements TypeSerializerSnapshot<SpanAccumulator> {
    private static final int VERSION_OF_LAYOUT_2 = 4;
    private static final int VERSION_OF_LAYOUT_3 = 5;
    private int layout;

    /** For reading from a checkpoint (the version then sets the layout). */
    public Snapshot() {
      this(LAYOUT);
    }

    Snapshot(int layout) {
      this.layout = layout;
    }

    int layout() {
      return layout;
    }

    @Override
    public int getCurrentVersion() {
      return layout == 1 ? 3 : layout == 2 ? VERSION_OF_LAYOUT_2 : VERSION_OF_LAYOUT_3;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {}

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader cl) throws IOException {
      if (readVersion < 3) {
        in.readUTF(); // SimpleTypeSerializerSnapshot before version 3 wrote the serializer class
        // name
      }
      layout = readVersion >= VERSION_OF_LAYOUT_3 ? 3 : readVersion >= VERSION_OF_LAYOUT_2 ? 2 : 1;
    }

    @Override
    public TypeSerializer<SpanAccumulator> restoreSerializer() {
      return layout == 1
          ? LegacySerializer.INSTANCE
          : layout == 2 ? Layout2Serializer.INSTANCE : Serializer.INSTANCE;
    }

    @Override
    public TypeSerializerSchemaCompatibility<SpanAccumulator> resolveSchemaCompatibility(
        TypeSerializerSnapshot<SpanAccumulator> old) {
      if (!(old instanceof Snapshot o)) {
        return TypeSerializerSchemaCompatibility.incompatible();
      }
      return o.layout == layout
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
  }
}
