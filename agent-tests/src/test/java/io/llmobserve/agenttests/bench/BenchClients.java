package io.llmobserve.agenttests.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Finds every {@link BenchClient} in {@code bench.clients} (a directory on the test classpath). */
final class BenchClients {
  static final String PACKAGE = BenchClients.class.getPackageName() + ".clients";

  private BenchClients() {}

  static List<BenchClient> all()
      throws IOException, URISyntaxException, ReflectiveOperationException {
    URL dir = BenchClients.class.getClassLoader().getResource(PACKAGE.replace('.', '/'));
    if (dir == null || !"file".equals(dir.getProtocol())) {
      throw new IllegalStateException("bench clients not found as a directory: " + dir);
    }
    List<BenchClient> clients = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      for (Path f : files.sorted(Comparator.comparing(Path::toString)).toList()) {
        String file = f.getFileName().toString();
        if (!file.endsWith(".class") || file.contains("$")) {
          continue;
        }
        Class<?> c =
            Class.forName(PACKAGE + "." + file.substring(0, file.length() - ".class".length()));
        if (BenchClient.class.isAssignableFrom(c) && !c.isInterface()) {
          clients.add((BenchClient) c.getConstructor().newInstance());
        }
      }
    }
    return clients;
  }
}
