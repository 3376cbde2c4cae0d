package io.llmobserve.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PKCS12 key store with a fresh self-signed certificate for {@code 127.0.0.1} and {@code
 * localhost}, made by the JDK's own {@code keytool}: the simulator serves HTTPS with it, and the
 * same file is the clients' trust store ({@code -Djavax.net.ssl.trustStore}), so tests and
 * benchmarks go through real TLS with hostname checks on.
 */
public final class SelfSignedKeyStore {
  /** The store's and the key's password. */
  public static final String PASSWORD = "changeit";

  private SelfSignedKeyStore() {}

  /**
   * Creates {@code dir/simulator-tls.p12} for 127.0.0.1, localhost and {@code moreHostNames} (real
   * provider hosts a test resolves to the simulator); fails with keytool's output when keytool
   * fails.
   */
  public static Path create(Path dir, String... moreHostNames)
      throws IOException, InterruptedException {
    StringBuilder san = new StringBuilder("SAN=ip:127.0.0.1,dns:localhost");
    for (String host : moreHostNames) {
      san.append(",dns:").append(host);
    }
    Files.createDirectories(dir);
    Path store = dir.resolve("simulator-tls.p12");
    Files.deleteIfExists(store);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path log = dir.resolve("keytool.log");
    Process p =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    "simulator",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    san.toString(),
                    "-validity",
                    "7",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    store.toString(),
                    "-storepass",
                    PASSWORD,
                    "-keypass",
                    PASSWORD))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("keytool did not finish in 60 s");
    }
    if (p.exitValue() != 0 || !Files.isRegularFile(store)) {
      throw new IOException(
          "keytool failed (exit "
              + p.exitValue()
              + "): "
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    return store;
  }

  /** The JVM flags that make {@code store} the default trust store of a forked JVM. */
  public static List<String> trustStoreFlags(Path store) {
    return List.of(
        "-Djavax.net.ssl.trustStore=" + store.toAbsolutePath(),
        "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
        "-Djavax.net.ssl.trustStoreType=PKCS12");
  }
}
