package io.llmobserve.pipeline.fold;

import io.llmobserve.pipeline.detect.CallRun;
import io.llmobserve.pipeline.detect.CompletionBatch;
import io.llmobserve.pipeline.model.OpaqueTypeInfo;
import io.llmobserve.pipeline.model.RouteCount;
import io.llmobserve.pipeline.window.SpanAccumulatorTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Type information for {@link CallFold}: a tag, then the fields of that kind only (the window
 * partial in {@link SpanAccumulatorTypeInfo}'s layout). CallFold only crosses the shuffle into the
 * label limiter and is never in state, so the layout only has to agree between the two ends. A
 * run's and a batch's key are not sent: the limiter derives them from the relabeled labels.
 */
public final class CallFoldTypeInfo extends OpaqueTypeInfo<CallFold> {
  private static final long serialVersionUID = 1L;

  /** Picked up through the @TypeInfo annotation on CallFold. */
  public static final class Factory extends TypeInfoFactory<CallFold> {
    @Override
    public TypeInformation<CallFold> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> params) {
      return new CallFoldTypeInfo();
    }
  }

  public CallFoldTypeInfo() {
    super(CallFold.class);
  }

  @Override
  protected TypeSerializer<CallFold> serializer() {
    return Serializer.INSTANCE;
  }

  private static final CallFold.Kind[] KINDS = CallFold.Kind.values();

  static void write(CallFold f, DataOutputView out) throws IOException {
    out.writeByte(f.kind.ordinal());
    writeString(f.provider, out);
    switch (f.kind) {
      case RESPONSE_MODEL -> {
        writeString(f.requestModel, out);
        writeString(f.responseModel, out);
      }
      case SERIES -> {
        writeString(f.resolveFrom, out);
        SpanAccumulatorTypeInfo.Serializer.INSTANCE.serialize(f.series, out);
      }
      case ROUTE -> {
        RouteCount r = f.route;
        writeString(r.service, out);
        writeString(r.provider, out);
        writeString(r.hostingProvider, out);
        writeString(r.region, out);
        writeString(r.edgePop, out);
        out.writeLong(r.windowStart);
        out.writeLong(r.windowEnd);
        out.writeLong(r.calls);
      }
      case MODEL_DRIFT_RUN, ROUTING_CHANGE_RUN, RESIDENCY_RUN -> {
        CallRun r = f.run;
        writeString(r.service, out);
        writeString(r.provider, out);
        writeString(r.model, out);
        writeString(r.region, out);
        writeString(r.operation, out);
        writeString(r.first, out);
        writeString(r.second, out);
        writeString(r.requestModel, out);
        writeString(r.serverAddress, out);
        writeString(r.resolveFrom, out);
        out.writeLong(r.count);
        out.writeLong(r.firstMillis);
        out.writeLong(r.lastMillis);
        out.writeLong(r.maxMillis);
      }
      case COMPLETIONS -> {
        CompletionBatch b = f.completions;
        writeString(b.service, out);
        writeString(b.provider, out);
        writeString(b.requestModel, out);
        writeString(b.operation, out);
        writeString(b.model, out);
        writeString(b.region, out);
        out.writeLong(b.count);
        out.writeLong(b.maxEndMillis);
        out.writeInt(b.held);
        out.writeInt(b.durations.length);
        for (double d : b.durations) {
          out.writeDouble(d);
        }
        out.writeInt(b.endMillis.length);
        for (long t : b.endMillis) {
          out.writeLong(t);
        }
      }
    }
  }

  static CallFold read(DataInputView in) throws IOException {
    CallFold f = new CallFold();
    f.kind = KINDS[in.readByte()];
    f.provider = readString(in);
    switch (f.kind) {
      case RESPONSE_MODEL -> {
        f.requestModel = readString(in);
        f.responseModel = readString(in);
      }
      case SERIES -> {
        f.resolveFrom = readString(in);
        f.series = SpanAccumulatorTypeInfo.Serializer.INSTANCE.deserialize(in);
      }
      case ROUTE -> {
        RouteCount r = new RouteCount();
        r.service = readString(in);
        r.provider = readString(in);
        r.hostingProvider = readString(in);
        r.region = readString(in);
        r.edgePop = readString(in);
        r.windowStart = in.readLong();
        r.windowEnd = in.readLong();
        r.calls = in.readLong();
        f.route = r;
      }
      case MODEL_DRIFT_RUN, ROUTING_CHANGE_RUN, RESIDENCY_RUN -> {
        CallRun r = new CallRun();
        r.service = readString(in);
        r.provider = readString(in);
        r.model = readString(in);
        r.region = readString(in);
        r.operation = readString(in);
        r.first = readString(in);
        r.second = readString(in);
        r.requestModel = readString(in);
        r.serverAddress = readString(in);
        r.resolveFrom = readString(in);
        r.count = in.readLong();
        r.firstMillis = in.readLong();
        r.lastMillis = in.readLong();
        r.maxMillis = in.readLong();
        f.run = r;
      }
      case COMPLETIONS -> {
        CompletionBatch b = new CompletionBatch();
        b.service = readString(in);
        b.provider = readString(in);
        b.requestModel = readString(in);
        b.operation = readString(in);
        b.model = readString(in);
        b.region = readString(in);
        b.count = in.readLong();
        b.maxEndMillis = in.readLong();
        b.held = in.readInt();
        b.durations = new double[in.readInt()];
        for (int i = 0; i < b.durations.length; i++) {
          b.durations[i] = in.readDouble();
        }
        b.endMillis = new long[in.readInt()];
        for (int i = 0; i < b.endMillis.length; i++) {
          b.endMillis[i] = in.readLong();
        }
        f.completions = b;
      }
    }
    return f;
  }

  private static void writeString(String s, DataOutputView out) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String readString(DataInputView in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** Stateless: one instance serves every task. */
  public static final class Serializer extends TypeSerializerSingleton<CallFold> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    private Serializer() {}

    @Override
    public boolean isImmutableType() {
      return false;
    }

    @Override
    public CallFold createInstance() {
      return new CallFold();
    }

    @Override
    public CallFold copy(CallFold from) {
      try {
        DataOutputSerializer out = new DataOutputSerializer(256);
        write(from, out);
        return read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public CallFold copy(CallFold from, CallFold reuse) {
      return copy(from);
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(CallFold f, DataOutputView out) throws IOException {
      write(f, out);
    }

    @Override
    public CallFold deserialize(DataInputView in) throws IOException {
      return read(in);
    }

    @Override
    public CallFold deserialize(CallFold reuse, DataInputView in) throws IOException {
      return read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
      write(read(in), out);
    }

    @Override
    public TypeSerializerSnapshot<CallFold> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  /** Never in state; the snapshot exists because Flink asks every serializer for one. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<CallFold> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
