package io.llmobserve.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmobserve.simulator.cli.ConfigFile;
import io.llmobserve.simulator.cli.SimulatorMain;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliAndConfigTest {
  @TempDir Path dir;

  @Test
  void configFileSetsProfilePersonasModelsAndIncidents() throws Exception {
    Path file = dir.resolve("sim.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "# comment",
            "latencyMs=120",
            "throttleRate=0.05",
            "gzip=false",
            "persona.azure/gpt-4.1-westus3.region=West US 3",
            "persona.azure/gpt-4.1-westus3.model=gpt-4.1",
            "persona.openai.pop=AMS",
            "modelVersion.gpt-4o=gpt-4o-2024-11-20",
            "incident.1={\"kind\":\"latency_spike\",\"provider\":\"azure\",\"extraLatencyMs\":50}",
            ""));
    ConfigFile.Loaded loaded = ConfigFile.load(file, Profile.defaults());
    Profile p = loaded.profile();
    assertThat(p.latencyMs()).isEqualTo(120);
    assertThat(p.throttleRate()).isEqualTo(0.05);
    assertThat(p.gzip()).isFalse();
    assertThat(p.persona("azure", "gpt-4.1-westus3").region()).isEqualTo("West US 3");
    assertThat(p.persona("azure", "gpt-4.1-westus3").model()).isEqualTo("gpt-4.1");
    assertThat(p.persona("openai", null).pop()).isEqualTo("AMS");
    assertThat(p.persona("openai", null).systemFingerprint()).isEqualTo("fp_07871e2ad8"); // kept
    assertThat(p.responseModel("gpt-4o")).isEqualTo("gpt-4o-2024-11-20");
    assertThat(loaded.incidents())
        .singleElement()
        .extracting(Incident::kind)
        .isEqualTo(IncidentKind.LATENCY_SPIKE);
  }

  @Test
  void flagsOverrideAndStartAServer() throws Exception {
    Path file = dir.resolve("sim.properties");
    Files.writeString(file, "latencyMs=999\n");
    SimulatorMain main = new SimulatorMain();
    new picocli.CommandLine(main)
        .parseArgs(
            "--config",
            file.toString(),
            "--fast",
            "--latency-ms",
            "7",
            "--persona",
            "azure/my-dep.region=Japan East",
            "--model-version",
            "gpt-4o=gpt-4o-2099-01-01",
            "--incident",
            "{\"kind\":\"throttling_storm\",\"provider\":\"anthropic\",\"percent\":50}",
            "--no-gzip",
            "--throttle-rate",
            "0.1");
    Profile p = main.resolveForTest().profile();
    assertThat(p.latencyMs()).isEqualTo(7);
    assertThat(p.ttftMs()).isEqualTo(Profile.fast().ttftMs());
    assertThat(p.persona("azure", "my-dep").region()).isEqualTo("Japan East");
    assertThat(p.responseModel("gpt-4o")).isEqualTo("gpt-4o-2099-01-01");
    assertThat(p.gzip()).isFalse();
    assertThat(p.throttleRate()).isEqualTo(0.1);
    assertThat(main.resolveForTest().incidents())
        .singleElement()
        .satisfies(i -> assertThat(i.effectiveRate()).isEqualTo(0.5));
  }

  @Test
  void runnableMainListensAndStopsOnSignal() throws Exception {
    Process proc = TestHttp.simulatorProcess("--port", "0", "--fast", "--seed", "5");
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      assertThat(first)
          .startsWith("llm-simulator listening on http://127.0.0.1:")
          .contains("seed 5");
      var resp = TestHttp.anthropicMessage(TestHttp.H1, TestHttp.listeningBaseUrl(first));
      assertThat(resp.statusCode()).isEqualTo(200);
      StringBuilder rest = new StringBuilder();
      String line;
      while (out.ready() && (line = out.readLine()) != null) {
        rest.append(line).append('\n');
      }
      proc.destroy(); // SIGTERM: the shutdown hook closes the server
      assertThat(proc.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(File.separatorChar == '/' ? proc.exitValue() : 143).isIn(0, 143);
    } finally {
      proc.destroyForcibly();
    }
  }
}
