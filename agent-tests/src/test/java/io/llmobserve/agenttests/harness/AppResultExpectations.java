package io.llmobserve.agenttests.harness;

import io.llmobserve.simulator.Exchange;
import org.assertj.core.api.SoftAssertions;

/** The app itself saw exactly what the simulator sent: the agent changed nothing on the way. */
public final class AppResultExpectations {
  private AppResultExpectations() {}

  public static void assertAppSawSameResponse(ScenarioResult r, Exchange ex) {
    SoftAssertions soft = new SoftAssertions();
    String ctx = Describe.call(ex) + " app saw " + r.values() + ": ";
    soft.assertThat(r.failed()).as(ctx + "scenario call failed (see fork stderr)").isFalse();
    if (r.get("status") != null) {
      soft.assertThat(r.get("status")).as(ctx + "status").isEqualTo(String.valueOf(ex.status()));
    }
    if (r.get("sha256") != null) {
      // Raw body as the app read it: compressed bytes when it asked for gzip and read them raw.
      String expected =
          ex.gzip() && r.get("decodedSha256") != null
              ? ex.wireBodySha256()
              : ex.responseBodySha256();
      soft.assertThat(r.get("sha256")).as(ctx + "body bytes identical").isEqualTo(expected);
    }
    if (r.get("decodedSha256") != null) {
      soft.assertThat(ex.gzip()).as(ctx + "the simulator gzipped this body").isTrue();
      soft.assertThat(r.get("contentEncoding")).as(ctx + "content-encoding").isEqualTo("gzip");
      soft.assertThat(r.get("decodedSha256"))
          .as(ctx + "decoded body identical")
          .isEqualTo(ex.responseBodySha256());
    }
    if (r.get("requestId") != null && ex.requestId() != null) {
      soft.assertThat(r.get("requestId")).as(ctx + "request id header").isEqualTo(ex.requestId());
    }
    if (r.get("id") != null) {
      soft.assertThat(r.get("id")).as(ctx + "response id").isEqualTo(ex.responseId());
    }
    if (r.get("model") != null && !r.get("model").isEmpty()) {
      soft.assertThat(r.get("model")).as(ctx + "response model").isEqualTo(ex.responseModel());
    }
    if (r.get("output") != null) {
      soft.assertThat(r.get("output"))
          .as(ctx + "output tokens")
          .isEqualTo(String.valueOf(ex.outputTokens()));
    }
    if (r.get("finish") != null) {
      soft.assertThat(r.get("finish")).as(ctx + "finish reason").isEqualTo(ex.finishReason());
    }
    soft.assertAll();
  }
}
