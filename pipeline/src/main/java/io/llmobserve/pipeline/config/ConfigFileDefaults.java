package io.llmobserve.pipeline.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.PropertiesDefaultProvider;

/**
 * Where an option not given as a flag takes its value from: {@code -D name=value}, else the {@code
 * --config} properties file (key = option name without "--", read by picocli's {@link
 * PropertiesDefaultProvider}), else the option's own default. picocli asks after the flags are
 * parsed, so {@code --config} and {@code -D} are known by then; the value goes through the option's
 * converter like a flag's, so a bad one is reported the same way.
 */
public final class ConfigFileDefaults implements IDefaultValueProvider {
  static final String CONFIG = "--config";
  static final String SET = "--set";

  private static final PropertiesDefaultProvider NO_FILE =
      new PropertiesDefaultProvider(new Properties());

  private Path loadedFrom;
  private PropertiesDefaultProvider file = NO_FILE;

  @Override
  public String defaultValue(ArgSpec arg) throws Exception {
    if (!(arg instanceof OptionSpec option) || !PipelineConfig.isOption(option.longestName())) {
      return null; // help, version, the replay subcommand's options ...
    }
    CommandSpec command = arg.command();
    String key = option.longestName().substring(2);
    String given = extra(command).get(key);
    if (given != null) {
      return given.strip();
    }
    return file(command).defaultValue(arg);
  }

  static Map<String, String> extra(CommandSpec command) {
    Map<String, String> extra = command.findOption(SET).getValue();
    return extra == null ? Map.of() : extra;
  }

  /** The --config file's entries (none when there is no file). */
  private PropertiesDefaultProvider file(CommandSpec command) {
    Path path = command.findOption(CONFIG).getValue();
    if (path == null) {
      return NO_FILE;
    }
    if (!path.equals(loadedFrom)) {
      file = new PropertiesDefaultProvider(read(path));
      loadedFrom = path;
    }
    return file;
  }

  /** The file's entries, keys and values stripped. */
  static Properties read(Path path) {
    Properties raw = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      raw.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--config: cannot read " + path + " (" + e.getClass().getSimpleName() + ")", e);
    }
    Properties stripped = new Properties();
    for (String k : raw.stringPropertyNames()) {
      stripped.setProperty(k.strip(), raw.getProperty(k).strip());
    }
    return stripped;
  }
}
