package io.llmobserve.agent.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerUrlTest {
  @Test
  void defaultPortsAndNormalisation() {
    ServerUrl https = new ServerUrl("HTTPS", "API.OpenAI.com", -1, "", null);
    assertThat(https.scheme).isEqualTo("https");
    assertThat(https.host).isEqualTo("api.openai.com");
    assertThat(https.port).isEqualTo(443);
    assertThat(https.rawPort).isEqualTo(-1);
    assertThat(https.path).isEqualTo("/");
    assertThat(new ServerUrl("http", "h", -1, "/x", null).port).isEqualTo(80);
  }

  @Test
  void reducedUrlHasNoQueryNorUserInfo() {
    ServerUrl url =
        new ServerUrl(
            "https",
            "generativelanguage.googleapis.com",
            -1,
            "/v1beta/models/gemini:generateContent",
            null);
    assertThat(url.redactedUrl())
        .isEqualTo(
            "https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent");
    assertThat(new ServerUrl("http", "::1", 8080, "/v1", null).redactedUrl())
        .isEqualTo("http://[::1]:8080/v1");
  }

  @Test
  void fullUrlIsRedactedByTheLibrary() {
    ServerUrl url =
        new ServerUrl(
            "https",
            "generativelanguage.googleapis.com",
            -1,
            "/v1beta/x",
            "https://generativelanguage.googleapis.com/v1beta/x?key=AIzaSECRET&alt=sse");
    assertThat(url.redactedUrl()).doesNotContain("AIzaSECRET").contains("alt=sse");
  }
}
