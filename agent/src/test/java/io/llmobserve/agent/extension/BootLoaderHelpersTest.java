package io.llmobserve.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Boot-loader helpers: only resolvable ones, each after its super types. */
class BootLoaderHelpersTest {

  @Test
  void keepsClientIndependentHelpersAndOrdersSuperTypesFirst() throws Exception {
    List<String> all =
        List.of(
            "io.llmobserve.agent.okhttp.TeeResponseBody",
            "io.llmobserve.agent.common.SpanAttributeSink",
            "io.llmobserve.agent.httpurlconnection.HttpUrlConnectionSupport",
            "io.llmobserve.providers.AttributeSink",
            "io.llmobserve.agent.apachehttpclient5.TeeResponseEntity");
    List<String> ordered =
        BootLoaderHelpers.forBootLoader(
            all,
            BootLoaderHelpersTest.class.getClassLoader(),
            "io.llmobserve.agent.httpurlconnection.");
    assertThat(ordered)
        .containsExactlyInAnyOrder(
            "io.llmobserve.agent.common.SpanAttributeSink",
            "io.llmobserve.agent.httpurlconnection.HttpUrlConnectionSupport",
            "io.llmobserve.providers.AttributeSink");
    assertThat(ordered.indexOf("io.llmobserve.providers.AttributeSink"))
        .as("the interface before its implementation")
        .isLessThan(ordered.indexOf("io.llmobserve.agent.common.SpanAttributeSink"));
  }

  @Test
  void readsSuperTypesFromTheClassFile() throws Exception {
    assertThat(
            BootLoaderHelpers.superTypes(
                "io.llmobserve.agent.common.SpanAttributeSink",
                BootLoaderHelpersTest.class.getClassLoader()))
        .contains("java.lang.Object", "io.llmobserve.providers.AttributeSink");
  }
}
