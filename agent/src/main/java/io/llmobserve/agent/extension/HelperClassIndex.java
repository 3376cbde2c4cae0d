package io.llmobserve.agent.extension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The helper classes the agent must inject next to instrumented code. Without the Gradle muzzle
 * plugin nothing computes them, and a missing one fails silently, so the build lists every class of
 * the extension jar that is not agent-side ({@link #isHelperClassName}) into {@link #RESOURCE}
 * ({@link #main}, run by the pom after shading), and the modules return that list.
 *
 * <p>Agent-side only (never injected): this package, {@code *InstrumentationModule} and {@code
 * *Instrumentation} classes with their nested advice classes.
 */
public final class HelperClassIndex {
  public static final String RESOURCE = "META-INF/llm-observe/helper-classes.txt";
  private static final String ROOT = "io.llmobserve.";
  private static final String AGENT_SIDE_PACKAGE = "io.llmobserve.agent.extension.";

  private static volatile List<String> cached;

  private HelperClassIndex() {}

  public static boolean isHelperClassName(String className) {
    if (className == null
        || !className.startsWith(ROOT)
        || className.startsWith(AGENT_SIDE_PACKAGE)) {
      return false;
    }
    int nested = className.indexOf('$');
    String outer = nested < 0 ? className : className.substring(0, nested);
    return !outer.endsWith("Instrumentation") && !outer.endsWith("InstrumentationModule");
  }

  /** The index written at build time; empty (and the modules inert) if it is missing. */
  public static List<String> helperClassNames(Class<?> anchor) {
    List<String> names = cached;
    if (names == null) {
      names = read(anchor.getClassLoader());
      cached = names;
    }
    return names;
  }

  static List<String> read(ClassLoader loader) {
    List<String> names = new ArrayList<>();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return Collections.emptyList();
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        line = line.trim();
        if (!line.isEmpty()) {
          names.add(line);
        }
      }
    } catch (IOException e) {
      return Collections.emptyList();
    }
    return Collections.unmodifiableList(names);
  }

  /** Helper class names found in a jar, sorted. */
  public static List<String> helpersInJar(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String entry = e.nextElement().getName();
        if (entry.endsWith(".class") && !entry.contains("-") && !entry.startsWith("META-INF/")) {
          String className =
              entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
          if (isHelperClassName(className)) {
            names.add(className);
          }
        }
      }
    }
    Collections.sort(names);
    return names;
  }

  /** Build step: {@code HelperClassIndex <extension.jar> <output file>}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: HelperClassIndex <jar> <output>");
    }
    List<String> names = helpersInJar(Paths.get(args[0]));
    if (names.isEmpty()) {
      throw new IllegalStateException("no helper classes found in " + args[0]);
    }
    Path out = Paths.get(args[1]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (String name : names) {
        w.write(name);
        w.write('\n');
      }
    }
    System.out.println("llm-observe: " + names.size() + " helper classes indexed");
  }
}
