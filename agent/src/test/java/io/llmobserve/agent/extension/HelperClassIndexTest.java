package io.llmobserve.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The helper rule against the compiled classes: advice and modules stay agent-side, and every
 * io.llmobserve class that advice code references (it is inlined into app classes) is a helper, so
 * it gets injected.
 */
class HelperClassIndexTest {
  private static final Path CLASSES = Paths.get("target/classes");
  private static final Pattern REFERENCE = Pattern.compile("io/llmobserve/[A-Za-z0-9_/$]+");

  @Test
  void ruleSeparatesAgentSideFromHelpers() {
    assertThat(HelperClassIndex.isHelperClassName("io.llmobserve.agent.jdkhttp.TeeBodySubscriber"))
        .isTrue();
    assertThat(
            HelperClassIndex.isHelperClassName(
                "io.llmobserve.agent.okhttp.TeeResponseBody$TeeSource"))
        .isTrue();
    assertThat(HelperClassIndex.isHelperClassName("io.llmobserve.agent.internal.providers.LlmCall"))
        .isTrue();
    assertThat(
            HelperClassIndex.isHelperClassName(
                "io.llmobserve.agent.jdkhttp.HttpClientFacadeInstrumentation$SendAdvice"))
        .isFalse();
    assertThat(
            HelperClassIndex.isHelperClassName(
                "io.llmobserve.agent.okhttp.OkHttpInstrumentationModule"))
        .isFalse();
    assertThat(
            HelperClassIndex.isHelperClassName("io.llmobserve.agent.extension.LlmAgentCustomizer"))
        .isFalse();
    assertThat(HelperClassIndex.isHelperClassName("okhttp3.OkHttpClient")).isFalse();
  }

  @Test
  void everyClassReferencedByAdviceIsAHelper() throws IOException {
    List<Path> advice;
    try (Stream<Path> files = Files.walk(CLASSES)) {
      advice =
          files.filter(p -> p.toString().endsWith("Advice.class")).collect(Collectors.toList());
    }
    assertThat(advice).hasSizeGreaterThanOrEqualTo(3);
    List<String> referenced = new ArrayList<>();
    for (Path file : advice) {
      Matcher m =
          REFERENCE.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      while (m.find()) {
        String name = m.group().replace('/', '.');
        if (!name.contains("Instrumentation$") && !name.endsWith("Instrumentation")) {
          referenced.add(name);
        }
      }
    }
    assertThat(referenced)
        .isNotEmpty()
        .allSatisfy(name -> assertThat(HelperClassIndex.isHelperClassName(name)).as(name).isTrue())
        .contains(
            "io.llmobserve.agent.jdkhttp.JdkHttpLlmSupport",
            "io.llmobserve.agent.okhttp.LlmInterceptor");
  }

  @Test
  void indexingAJarListsItsHelpersOnly() throws IOException {
    Path jar = Files.createTempFile("helpers", ".jar");
    try {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar));
          Stream<Path> files = Files.walk(CLASSES)) {
        for (Path p :
            (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
          zip.putNextEntry(new ZipEntry(CLASSES.relativize(p).toString().replace('\\', '/')));
          zip.write(Files.readAllBytes(p));
          zip.closeEntry();
        }
      }
      List<String> helpers = HelperClassIndex.helpersInJar(jar);
      assertThat(helpers)
          .contains(
              "io.llmobserve.agent.common.LlmExchange",
              "io.llmobserve.agent.jdkhttp.TeeBodyHandler",
              "io.llmobserve.agent.okhttp.TeeRequestBody$TeeSink")
          .noneMatch(n -> n.contains("Advice") || n.endsWith("Module") || n.contains(".extension."))
          .isSorted();
    } finally {
      Files.deleteIfExists(jar);
    }
  }
}
