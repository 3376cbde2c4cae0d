package io.llmobserve.agent.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

class CallerContextTest {
  @Test
  void anXrayTraceHeaderNamesTheParent() {
    SpanContext parent =
        Span.fromContext(
                CallerContext.fromXrayHeader(
                    Context.root(),
                    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"))
            .getSpanContext();
    assertThat(parent.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(parent.getSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(parent.isSampled()).isTrue();
    assertThat(parent.isRemote()).isTrue();
  }

  @Test
  void anUnsampledOrReorderedHeaderIsReadToo() {
    SpanContext parent =
        Span.fromContext(
                CallerContext.fromXrayHeader(
                    Context.root(),
                    "Sampled=0; Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272793"))
            .getSpanContext();
    assertThat(parent.isValid()).isTrue();
    assertThat(parent.isSampled()).isFalse();
  }

  @Test
  void aMissingOrMalformedHeaderLeavesTheContextAsItWas() {
    for (String header :
        new String[] {
          null,
          "",
          "Root=1-5759e988-bd862e3fe1be46a994272793", // no Parent
          "Parent=53995c3f42cd8ad8;Sampled=1", // no Root
          "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
          "Root=1-5759e988-bd862e3fe1be46a99427279z;Parent=53995c3f42cd8ad8",
          "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000",
          "garbage;;==;"
        }) {
      assertThat(CallerContext.fromXrayHeader(Context.root(), header))
          .as(header)
          .isSameAs(Context.root());
    }
  }
}
