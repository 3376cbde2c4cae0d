package io.llmobserve.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class LlmSpanTypeInfoTest {

  /** Every field set to a value no default has: a field the serializer forgets comes back wrong. */
  @Test
  void everyFieldSurvivesTheShuffle() throws Exception {
    LlmSpan s = new LlmSpan();
    int i = 1;
    for (Field f : LlmSpan.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      Class<?> t = f.getType();
      if (t == String.class) {
        f.set(s, "v" + i + "-\u00e9\u6f22");
      } else if (t == long.class) {
        f.setLong(s, 1_000_000_007L * i);
      } else if (t == int.class) {
        f.setInt(s, 100 + i);
      } else if (t == double.class) {
        f.setDouble(s, i + 0.25);
      } else if (t == boolean.class) {
        f.setBoolean(s, true);
      } else {
        throw new AssertionError("no test value for " + f);
      }
      i++;
    }
    TypeSerializer<LlmSpan> ser =
        TypeInformation.of(LlmSpan.class).createSerializer(new SerializerConfigImpl());
    assertThat(ser).isInstanceOf(LlmSpanTypeInfo.Serializer.class);
    DataOutputSerializer out = new DataOutputSerializer(256);
    ser.serialize(s, out);
    LlmSpan back = ser.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back).usingRecursiveComparison().isEqualTo(s);
    assertThat(ser.copy(s)).usingRecursiveComparison().isEqualTo(s).isNotSameAs(s);

    // Defaults (nulls, NaN, -1) too.
    LlmSpan empty = new LlmSpan();
    out.clear();
    ser.serialize(empty, out);
    assertThat(ser.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .usingRecursiveComparison()
        .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
        .isEqualTo(empty);
  }
}
