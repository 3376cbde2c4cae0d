package io.llmobserve.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.pipeline.model.AnomalyEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** Keyed state and outputs are Flink POJOs (fast, and their schema can evolve), not Kryo blobs. */
class StateTypesTest {

  @Test
  void stateAndEventsArePojos() {
    for (Class<?> c :
        new Class<?>[] {
          SpikeState.class,
          ChangeState.class,
          AspectState.class,
          SeriesLabels.class,
          AnomalyEvent.class
        }) {
      assertThat(TypeInformation.of(c)).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
    }
  }
}
