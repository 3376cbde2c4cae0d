package io.llmobserve.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmobserve.testsupport.SelfSignedKeyStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS as hosted providers serve it: a client that trusts the certificate gets the same API. */
class TlsTest {
  @TempDir Path dir;

  @Test
  void servesTheApiOverTlsToClientsThatTrustItsCertificate() throws Exception {
    Path store = SelfSignedKeyStore.create(dir);
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .port(0)
            .seed(7)
            .profile(Profile.fast())
            .tls(store, SelfSignedKeyStore.PASSWORD)
            .start()) {
      assertThat(sim.baseUrl()).startsWith("https://127.0.0.1:");
      HttpResponse<byte[]> r =
          TestHttp.post(
              trustingClient(store, HttpClient.Version.HTTP_1_1),
              sim,
              "/v1/chat/completions",
              "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.uri().getScheme()).isEqualTo("https");
      assertThat(r.sslSession()).isPresent();
      assertThat(TestHttp.json(r).path("usage").path("prompt_tokens").asInt()).isPositive();
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

      // a client that offers h2 gets it by ALPN, as from a hosted provider
      HttpResponse<byte[]> overH2 =
          TestHttp.post(
              trustingClient(store, HttpClient.Version.HTTP_2),
              sim,
              "/v1/chat/completions",
              "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(overH2.statusCode()).isEqualTo(200);
      assertThat(overH2.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(TestHttp.text(overH2)).contains("data: [DONE]");
      assertThat(sim.exchanges()).extracting(Exchange::httpVersion).contains("HTTP/2.0");
      // HTTP/2 names the host in :authority, not in a Host header: the exchange keeps it
      assertThat(sim.exchanges().get(sim.exchanges().size() - 1).requestHeaders())
          .containsEntry(":authority", "127.0.0.1:" + sim.port())
          .doesNotContainKey("host");

      // a client with the JVM's default trust does not accept the self-signed certificate
      assertThatThrownBy(
              () -> TestHttp.post(sim, "/v1/chat/completions", "{\"model\":\"gpt-4o-mini\"}"))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void theCommandLineServesHttpsWithAKeyStore() throws Exception {
    Path store = SelfSignedKeyStore.create(dir);
    Process proc =
        TestHttp.simulatorProcess(
            "--port",
            "0",
            "--fast",
            "--quiet",
            "--tls-keystore",
            store.toString(),
            "--tls-keystore-password",
            SelfSignedKeyStore.PASSWORD);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      assertThat(first)
          .startsWith("llm-simulator listening on https://127.0.0.1:")
          .contains("(HTTPS: h2 and HTTP/1.1)");
      HttpResponse<String> r =
          TestHttp.anthropicMessage(
              trustingClient(store, HttpClient.Version.HTTP_2), TestHttp.listeningBaseUrl(first));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    } finally {
      proc.destroyForcibly();
    }
  }

  private static HttpClient trustingClient(Path store, HttpClient.Version version)
      throws Exception {
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(trusting(store))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static SSLContext trusting(Path store) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, SelfSignedKeyStore.PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
