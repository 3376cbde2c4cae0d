package io.llmobserve.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the built jars and the operations configs live in the checkout. */
final class ProjectLayout {
  final Path root;

  private ProjectLayout(Path root) {
    this.root = root;
  }

  static ProjectLayout detect() {
    String prop = System.getProperty("llmobserve.root");
    Path root = prop != null ? Path.of(prop) : Path.of("..");
    return new ProjectLayout(root.toAbsolutePath().normalize());
  }

  Path simulatorJar() {
    return jar("simulator/target/llm-simulator.jar");
  }

  Path agentJar() {
    return jar("agent/target/llm-otel-javaagent.jar");
  }

  Path demoAppJar() {
    return jar("demo-app/target/llm-demo-app.jar");
  }

  Path pipelineJar() {
    return jar("pipeline/target/llm-pipeline.jar");
  }

  List<Path> ruleFiles() throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("alerts"))) {
      List<Path> rules =
          s.filter(p -> p.getFileName().toString().endsWith(".rules.yml")).sorted().toList();
      assertThat(rules).as("alerts/*.rules.yml").isNotEmpty();
      return rules;
    }
  }

  Path alertmanagerConfig() {
    return root.resolve("alerts/alertmanager.yml");
  }

  Path dashboardsDir() {
    return root.resolve("dashboards");
  }

  /** The jars come from `mvn package` of the sibling modules (this module depends on them). */
  private Path jar(String relative) {
    Path p = root.resolve(relative);
    assertThat(p)
        .as(
            "%s must be built first (mvn -DskipTests package, or mvn verify from the root)",
            relative)
        .isRegularFile();
    return p;
  }

  static Path workDir(String name) throws IOException {
    String base = System.getProperty("llmobserve.e2e.work", "target/e2e");
    Path dir = Path.of(base).toAbsolutePath().resolve(name + "-" + System.currentTimeMillis());
    return Files.createDirectories(dir);
  }
}
