package io.llmobserve.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {

  @Test
  void aCheckpointUriGoesToFlinkAsGiven() {
    assertThat(Environments.checkpointUri("s3://bucket/llm-observe/chk"))
        .isEqualTo("s3://bucket/llm-observe/chk");
    assertThat(Environments.checkpointUri("hdfs://nn:8020/chk")).isEqualTo("hdfs://nn:8020/chk");
    assertThat(Environments.checkpointUri("file:/tmp/chk")).isEqualTo("file:/tmp/chk");
  }

  @Test
  void aPlainPathBecomesAnAbsoluteFileUri() {
    assertThat(Environments.checkpointUri("data/chk"))
        .isEqualTo(Path.of("data/chk").toAbsolutePath().toUri().toString());
  }

  @Test
  void localDirectoriesAreKnownFromPathsAndFileUris() {
    assertThat(Environments.localDirectory("data/chk")).contains(Path.of("data/chk"));
    assertThat(Environments.localDirectory("file:///tmp/chk")).contains(Path.of("/tmp/chk"));
    assertThat(Environments.localDirectory("s3://bucket/chk")).isEmpty();
  }
}
