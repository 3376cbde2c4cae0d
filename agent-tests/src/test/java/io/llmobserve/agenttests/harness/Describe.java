package io.llmobserve.agenttests.harness;

import io.llmobserve.simulator.Exchange;

/** Short descriptions for assertion messages (full records drown the one wrong value). */
final class Describe {
  private Describe() {}

  static String call(Exchange ex) {
    return "["
        + SimulatorFixture.label(ex)
        + " "
        + ex.provider()
        + " "
        + ex.path()
        + " "
        + ex.httpVersion()
        + " model="
        + ex.requestModel()
        + "->"
        + ex.responseModel()
        + " stream="
        + ex.stream()
        + " status="
        + ex.status()
        + " gzip="
        + ex.gzip()
        + " reqId="
        + ex.requestId()
        + "]";
  }
}
